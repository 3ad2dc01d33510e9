"""Importing a portal file as a new version of a dataset, atomically.

A failed import changes nothing. A successful one adds a DatasetVersion, and for each feature
that appeared, changed, disappeared or came back, a FeatureVersion: the history is never
rewritten.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.db import router, transaction
from django.db.models import F, Max, Min
from django.utils.translation import gettext as _

from ..importing.decoding import decode
from ..importing.errors import ImportFileError, RejectedRow
from ..importing.parsers import ParsedFile, parse
from ..importing.sources import SourceFile
from ..models import Contribution, Dataset, DatasetVersion, Feature, FeatureVersion
from ..profiles import DatasetProfile, infer_profile
from ..quality import issue_codes_text
from .contributions import flag_conflicts_after_change
from .feature_rows import FeatureRow, build_rows
from .pg_copy import copy_rows, copy_supported, reserve_ids

BATCH_SIZE = 2000
# New features and their first history rows go to PostgreSQL with COPY: several times faster
# than bulk_create for a large file (see pg_copy). False forces bulk_create, as on SQLite; the
# tests switch it off to compare both ways of writing.
COPY_NEW_FEATURES = True


@dataclass
class ImportReport:
    dataset: Dataset
    version: DatasetVersion
    created: bool
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def added(self) -> int:
        return self.version.features_added

    @property
    def changed(self) -> int:
        return self.version.features_changed

    @property
    def removed(self) -> int:
        return self.version.features_removed

    @property
    def unchanged(self) -> int:
        return self.version.features_unchanged

    def summary(self) -> str:
        return _(
            "Version %(number)s de « %(title)s » : %(added)s ajouté(s), %(changed)s modifié(s), "
            "%(removed)s retiré(s), %(unchanged)s inchangé(s), %(rejected)s ligne(s) rejetée(s)."
        ) % {
            "number": self.version.number,
            "title": self.dataset.title,
            "added": self.added,
            "changed": self.changed,
            "removed": self.removed,
            "unchanged": self.unchanged,
            "rejected": self.version.rows_rejected,
        }


def _resolve_profile(
    parsed: ParsedFile, profile: DatasetProfile | None, existing: Dataset | None
) -> DatasetProfile:
    if profile is None and existing is not None and existing.profile:
        profile = existing.parsed_profile
    if profile is None:
        profile = infer_profile(parsed.columns, parsed.format == "geojson")
    if not profile.geometry_from_columns and parsed.format != "geojson":
        raise ImportFileError(
            _(
                "Impossible de trouver les coordonnées. Donnez un profil qui indique les colonnes "
                "de latitude et de longitude (colonnes du fichier : %(columns)s)."
            )
            % {"columns": ", ".join(parsed.columns[:40])}
        )
    missing = [c for c in profile.coordinate_fields if c not in parsed.columns]
    if missing:
        raise ImportFileError(
            _(
                "Colonne(s) de coordonnées absente(s) du fichier : %(missing)s. "
                "Colonnes du fichier : %(columns)s."
            )
            % {"missing": ", ".join(missing), "columns": ", ".join(parsed.columns[:40])}
        )
    missing_ids = [c for c in profile.id_fields if c not in parsed.columns]
    if missing_ids:
        raise ImportFileError(
            _("Colonne(s) d’identifiant absente(s) du fichier : %(missing)s.")
            % {"missing": ", ".join(missing_ids)}
        )
    return profile


def import_dataset(
    source: SourceFile,
    slug: str,
    *,
    profile: DatasetProfile | None = None,
    title: str | None = None,
    user=None,
) -> ImportReport:
    """Import `source` as the next version of dataset `slug` (created if new).

    Raises ImportFileError, with a message for the user, when the file as a whole cannot be
    used; in that case nothing in the database has changed.
    """
    text, encoding = decode(source.content)
    parsed = parse(text, source.name)
    existing = Dataset.objects.filter(slug=slug).first()
    profile = _resolve_profile(parsed, profile, existing)
    rows, rejected = build_rows(parsed.records, profile, tuple(settings.REGION_BBOX))
    rejected = sorted(parsed.rejected + rejected, key=lambda r: r.row)
    if not rows:
        reasons = "; ".join(f"{_('ligne')} {r.row} : {r.reason}" for r in rejected[:3])
        raise ImportFileError(
            _("Aucune ligne n’a de position utilisable, rien n’a été importé (%(reasons)s).")
            % {"reasons": reasons}
        )

    with transaction.atomic():
        dataset, created = _lock_dataset(slug, title or profile.title or slug, profile, user)
        if title:
            dataset.title = title
        dataset.profile = profile.raw
        if profile.licence:
            dataset.licence = profile.licence
        last = dataset.versions.aggregate(n=Max("number"))["n"] or 0
        version = DatasetVersion.objects.create(
            dataset=dataset,
            number=last + 1,
            source_name=source.name[:500],
            source_sha256=hashlib.sha256(source.content).hexdigest(),
            source_size=len(source.content),
            format=parsed.format,
            encoding=encoding,
            delimiter=parsed.delimiter,
            columns=parsed.columns,
            rows_read=len(parsed.records) + len(parsed.rejected),
            rows_rejected=len(rejected),
            rejected_rows=[r.as_dict() for r in rejected[: DatasetVersion.REJECTED_ROWS_KEPT]],
            created_by=user if user and user.is_authenticated else None,
        )
        _apply_rows(dataset, version, rows)
        version.save()
        _refresh_dataset_summary(dataset, version)
    return ImportReport(dataset=dataset, version=version, created=created, rejected=rejected)


def _lock_dataset(slug: str, title: str, profile: DatasetProfile, user) -> tuple[Dataset, bool]:
    dataset = Dataset.objects.select_for_update().filter(slug=slug).first()
    if dataset:
        return dataset, False
    dataset = Dataset.objects.create(
        slug=slug,
        title=title[:200],
        profile=profile.raw,
        licence=profile.licence or "etalab-2.0",
        created_by=user if user and user.is_authenticated else None,
    )
    return dataset, True


def _feature_fields(row: FeatureRow) -> dict:
    west, south, east, north = row.bounds
    return {
        "key": row.key,
        "name": row.name,
        "row_number": row.row,
        "properties": row.properties,
        "geometry": row.geometry,
        "geometry_type": row.geometry_type,
        "lon": row.lon,
        "lat": row.lat,
        "min_lon": west,
        "min_lat": south,
        "max_lon": east,
        "max_lat": north,
        "quality_issues": row.quality_issues,
        "issue_count": len(row.quality_issues),
        "issue_codes": issue_codes_text(row.quality_issues),
        "search_text": row.search_text,
        "content_hash": row.content_hash,
    }


CONTENT_FIELDS = [
    "name",
    "row_number",
    "properties",
    "geometry",
    "geometry_type",
    "lon",
    "lat",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "quality_issues",
    "issue_count",
    "issue_codes",
    "search_text",
    "content_hash",
    "is_removed",
    "version",
    "last_version",
]


def _changed_fields(old: Feature, row: FeatureRow) -> list[str]:
    keys = list(dict.fromkeys([*old.properties, *row.properties]))
    changed = [k for k in keys if old.properties.get(k) != row.properties.get(k)]
    if old.geometry != row.geometry:
        changed.append("geometry")
    return changed


def _apply_rows(dataset: Dataset, version: DatasetVersion, rows: list[FeatureRow]) -> None:
    existing = {
        key: (pk, content_hash, is_removed, row_number, issue_count)
        for key, pk, content_hash, is_removed, row_number, issue_count in Feature.objects.filter(
            dataset=dataset
        ).values_list("key", "id", "content_hash", "is_removed", "row_number", "issue_count")
    }
    new_rows: list[FeatureRow] = []
    changed_rows: dict[int, FeatureRow] = {}
    restored_rows: dict[int, FeatureRow] = {}
    touched_rows: dict[int, FeatureRow] = {}
    for row in rows:
        known = existing.get(row.key)
        if known is None:
            new_rows.append(row)
            continue
        pk, content_hash, is_removed, row_number, issue_count = known
        if is_removed:
            restored_rows[pk] = row
        elif content_hash != row.content_hash:
            changed_rows[pk] = row
        elif row_number != row.row or issue_count != len(row.quality_issues):
            touched_rows[pk] = row
    seen_keys = {row.key for row in rows}
    removed_ids = [
        pk
        for key, (pk, _h, is_removed, _r, _i) in existing.items()
        if not is_removed and key not in seen_keys
    ]

    _create_features(dataset, version, new_rows)
    _update_features(version, changed_rows, FeatureVersion.Change.CHANGED)
    _update_features(version, restored_rows, FeatureVersion.Change.RESTORED)
    _mark_removed(version, removed_ids)
    _refresh_quality(touched_rows)
    _flag_contribution_conflicts([*changed_rows, *restored_rows])

    version.features_added = len(new_rows)
    version.features_changed = len(changed_rows)
    version.features_removed = len(removed_ids)
    version.features_unchanged = len(rows) - len(new_rows) - len(changed_rows) - len(restored_rows)
    version.features_added += len(restored_rows)


def _create_features(dataset: Dataset, version: DatasetVersion, rows: list[FeatureRow]) -> None:
    using = router.db_for_write(Feature)
    if COPY_NEW_FEATURES and rows and copy_supported(using):
        _copy_features(dataset, version, rows, using)
        return
    for start in range(0, len(rows), BATCH_SIZE):
        chunk = rows[start : start + BATCH_SIZE]
        features = Feature.objects.bulk_create(
            [
                Feature(
                    dataset=dataset,
                    first_version=version,
                    last_version=version,
                    version=1,
                    **_feature_fields(row),
                )
                for row in chunk
            ]
        )
        FeatureVersion.objects.bulk_create(
            [
                FeatureVersion(
                    feature_id=feature.pk,
                    dataset_version=version,
                    number=1,
                    change=FeatureVersion.Change.ADDED,
                    properties=row.properties,
                    geometry=row.geometry,
                    quality_issues=row.quality_issues,
                )
                for feature, row in zip(features, chunk, strict=True)
            ]
        )


def _copy_features(
    dataset: Dataset, version: DatasetVersion, rows: list[FeatureRow], using: str
) -> None:
    """The same rows as the bulk_create path, written with COPY.

    The feature ids are reserved first so that the history rows can refer to them in the same
    pass; fields left out (provenance, is_removed, contribution, changed_fields, created_at...)
    get their model defaults, as the unsaved instances of the bulk_create path do. Both COPYs
    run in the import's transaction and are rolled back with it.
    """
    ids = reserve_ids(Feature, len(rows), using)
    copy_rows(
        Feature,
        (
            {
                "id": pk,
                "dataset_id": dataset.pk,
                "first_version_id": version.pk,
                "last_version_id": version.pk,
                "version": 1,
                **_feature_fields(row),
            }
            for pk, row in zip(ids, rows, strict=True)
        ),
        using,
    )
    copy_rows(
        FeatureVersion,
        (
            {
                "feature_id": pk,
                "dataset_version_id": version.pk,
                "number": 1,
                "change": FeatureVersion.Change.ADDED.value,
                "properties": row.properties,
                "geometry": row.geometry,
                "quality_issues": row.quality_issues,
            }
            for pk, row in zip(ids, rows, strict=True)
        ),
        using,
    )


def _in_chunks(ids: list[int]):
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]


def _update_features(
    version: DatasetVersion, rows_by_id: dict[int, FeatureRow], change: str
) -> None:
    for ids in _in_chunks(list(rows_by_id)):
        features = list(Feature.objects.filter(pk__in=ids))
        history = []
        for feature in features:
            row = rows_by_id[feature.pk]
            changed = _changed_fields(feature, row)
            for name, value in _feature_fields(row).items():
                setattr(feature, name, value)
            feature.is_removed = False
            feature.version += 1
            feature.last_version = version
            history.append(
                feature.snapshot(change, changed_fields=changed, dataset_version=version)
            )
        Feature.objects.bulk_update(features, CONTENT_FIELDS, batch_size=500)
        FeatureVersion.objects.bulk_create(history)


def _mark_removed(version: DatasetVersion, ids: list[int]) -> None:
    for chunk in _in_chunks(ids):
        features = list(Feature.objects.filter(pk__in=chunk))
        for feature in features:
            feature.is_removed = True
            feature.version += 1
            feature.last_version = version
        Feature.objects.bulk_update(
            features, ["is_removed", "version", "last_version"], batch_size=500
        )
        FeatureVersion.objects.bulk_create(
            [
                feature.snapshot(FeatureVersion.Change.REMOVED, dataset_version=version)
                for feature in features
            ]
        )


def _refresh_quality(rows_by_id: dict[int, FeatureRow]) -> None:
    """Same content, but a new place in the file or a profile that checks other things."""
    for ids in _in_chunks(list(rows_by_id)):
        features = list(Feature.objects.filter(pk__in=ids).only("id"))
        for feature in features:
            row = rows_by_id[feature.pk]
            feature.row_number = row.row
            feature.quality_issues = row.quality_issues
            feature.issue_count = len(row.quality_issues)
            feature.issue_codes = issue_codes_text(row.quality_issues)
        Feature.objects.bulk_update(
            features,
            ["row_number", "quality_issues", "issue_count", "issue_codes"],
            batch_size=500,
        )


def _flag_contribution_conflicts(feature_ids: list[int]) -> None:
    """Pending proposals on features this import changed may now disagree with the data."""
    with_pending = (
        Contribution.objects.filter(feature_id__in=feature_ids, status=Contribution.Status.PENDING)
        .values_list("feature_id", flat=True)
        .distinct()
    )
    for feature in Feature.objects.filter(pk__in=list(with_pending)):
        flag_conflicts_after_change(feature)


def _refresh_dataset_summary(dataset: Dataset, version: DatasetVersion) -> None:
    active = Feature.objects.filter(dataset=dataset, is_removed=False)
    bounds = active.aggregate(
        west=Min("min_lon"),
        south=Min("min_lat"),
        east=Max("max_lon"),
        north=Max("max_lat"),
        span=Max(F("max_lon") - F("min_lon")),
    )
    dataset.max_feature_span = bounds["span"] or 0
    dataset.current_version = version
    dataset.feature_count = active.count()
    dataset.features_with_issues = active.filter(issue_count__gt=0).count()
    dataset.bbox = [bounds["west"], bounds["south"], bounds["east"], bounds["north"]]
    dataset.save()
