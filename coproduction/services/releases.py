"""Publishing a release: the dataset's accepted state, as immutable files, checked against its
Table Schema, with a changelog. What the publish button and `manage.py publish` do."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ..models import Contribution, Dataset, Feature, FeatureVersion, Release
from .exporter import write_csv_rows, write_geojson_features
from .table_schema import CellError, schema_rows, to_csv, validate_csv


class NonConforming(Exception):
    """The schema CSV has errors; publishing it anyway needs an explicit decision."""

    def __init__(self, errors: list[CellError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


class NothingToPublish(Exception):
    pass


@dataclass
class ReleasePreview:
    """What a release would contain, so that the publisher decides knowingly."""

    feature_count: int
    schema_name: str = ""
    schema_errors: list[CellError] = field(default_factory=list)
    osm_values: int = 0
    changelog: dict = field(default_factory=dict)


def _features(dataset: Dataset) -> list[Feature]:
    return list(
        Feature.objects.filter(dataset=dataset, is_removed=False)
        .select_related("dataset")
        .order_by("row_number", "id")
    )


def _published_properties(include_osm: bool, odbl: bool):
    """Values that came from OpenStreetMap are ODbL: out of a non-ODbL release unless the
    publisher decided otherwise."""

    def properties_of(feature: Feature) -> dict:
        if include_osm or odbl:
            return feature.properties
        osm_fields = {
            name for name, origin in feature.provenance.items() if origin.get("source") == "osm"
        }
        if not osm_fields:
            return feature.properties
        return {k: ("" if k in osm_fields else v) for k, v in feature.properties.items()}

    return properties_of


def count_osm_values(features: list[Feature]) -> int:
    return sum(
        1 for f in features for origin in f.provenance.values() if origin.get("source") == "osm"
    )


def changelog(dataset: Dataset) -> dict:
    last = dataset.releases.order_by("-number").first()
    since = last.created_at if last else None
    versions = FeatureVersion.objects.filter(feature__dataset=dataset)
    contributions = Contribution.objects.filter(
        dataset=dataset,
        status__in=[Contribution.Status.ACCEPTED, Contribution.Status.ACCEPTED_WITH_CHANGES],
    )
    if since:
        versions = versions.filter(created_at__gt=since)
        contributions = contributions.filter(decided_at__gt=since)
    by_change = {}
    for change, label in FeatureVersion.Change.choices:
        count = versions.filter(change=change).values("feature").distinct().count()
        if count:
            by_change[change] = {"label": str(label), "features": count}
    workshops = sorted(
        {t for t in contributions.values_list("workshop_entry__workshop__title", flat=True) if t}
    )
    return {
        "since": since.isoformat() if since else None,
        "changes": by_change,
        "contributions": contributions.count(),
        "workshops": workshops,
        "import_version": dataset.current_version.number if dataset.current_version else None,
    }


def preview(dataset: Dataset, include_osm_values: bool = False) -> ReleasePreview:
    features = _features(dataset)
    result = ReleasePreview(
        feature_count=len(features),
        osm_values=count_osm_values(features),
        changelog=changelog(dataset),
    )
    mapping = dataset.parsed_profile.raw.get("table_schema")
    if mapping:
        properties_of = _published_properties(include_osm_values, dataset.is_odbl())
        columns, rows = schema_rows(features, mapping, properties_of)
        result.schema_name = mapping["name"]
        result.schema_errors = validate_csv(to_csv(columns, rows), mapping["name"])
    return result


def publish(
    dataset: Dataset,
    *,
    user=None,
    note: str = "",
    allow_nonconforming: bool = False,
    include_osm_values: bool = False,
) -> Release:
    """Make the next release. Raises NonConforming when the schema CSV has errors and the
    publisher did not decide to publish it anyway; then nothing is stored."""
    features = _features(dataset)
    if not features:
        raise NothingToPublish(_("Le jeu de données ne contient aucun lieu à publier."))
    odbl = dataset.is_odbl()
    properties_of = _published_properties(include_osm_values, odbl)
    csv_text = io.StringIO()
    write_csv_rows(dataset, features, csv_text, properties_of)
    geojson_text = io.StringIO()
    write_geojson_features(dataset, features, geojson_text, properties_of)
    files = {"csv": csv_text.getvalue(), "geojson": geojson_text.getvalue()}
    mapping = dataset.parsed_profile.raw.get("table_schema")
    errors: list[CellError] = []
    if mapping:
        columns, rows = schema_rows(features, mapping, properties_of)
        files["schema.csv"] = to_csv(columns, rows)
        errors = validate_csv(files["schema.csv"], mapping["name"])
        if errors and not allow_nonconforming:
            raise NonConforming(errors)
    with transaction.atomic():
        Dataset.objects.select_for_update().get(pk=dataset.pk)
        number = (dataset.releases.aggregate(n=Max("number"))["n"] or 0) + 1
        release = Release(
            dataset=dataset,
            number=number,
            note=note.strip(),
            changelog=changelog(dataset),
            schema_name=mapping["name"] if mapping else "",
            conformance={"errors": len(errors), "sample": [e.as_dict() for e in errors[:50]]},
            published_nonconforming=bool(errors),
            includes_osm_values=bool(include_osm_values and count_osm_values(features)),
            feature_count=len(features),
            created_by=user,
            sha256={k: hashlib.sha256(v.encode("utf-8")).hexdigest() for k, v in files.items()},
        )
        release.csv_file.save(f"{dataset.slug}.csv", ContentFile(files["csv"].encode()), False)
        release.geojson_file.save(
            f"{dataset.slug}.geojson", ContentFile(files["geojson"].encode()), False
        )
        if "schema.csv" in files:
            release.schema_csv_file.save(
                f"{dataset.slug}-{mapping['name']}.csv",
                ContentFile(files["schema.csv"].encode()),
                False,
            )
        release.save()
    return release
