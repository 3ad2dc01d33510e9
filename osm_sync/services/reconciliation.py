"""Running the matching engine for a dataset, storing the run and writing its report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from coproduction.models import Dataset

from ..bulk_insert import insert_rows
from ..matching.config import MatchConfig
from ..matching.decisions import Decision
from ..matching.engine import EngineResult, run_engine
from ..matching.places import DatasetPlace, OsmCandidate
from ..matching.report import report_feature, write_report
from ..matching.state import AMBIGUOUS, MATCHED, MISSING_IN_DATASET, MISSING_IN_OSM
from ..models import Match, MatchDecision, OsmObject, OsmSnapshot, Reconciliation
from ..tag_filters import TagFilterSet, profile_filters

BATCH_SIZE = 2000
STATUSES = (MATCHED, AMBIGUOUS, MISSING_IN_OSM, MISSING_IN_DATASET)


class ReconciliationError(Exception):
    """A reconciliation that cannot run; the message says what to do first."""


@dataclass
class ReconcileReport:
    reconciliation: Reconciliation
    result: EngineResult

    def summary(self) -> str:
        counts = self.reconciliation.counts
        return _(
            "Rapprochement de « %(dataset)s » : %(matched)s rapproché(s), %(ambiguous)s "
            "ambigu(s), %(missing_in_osm)s absent(s) d’OpenStreetMap, %(missing_in_dataset)s "
            "objet(s) OSM absent(s) du jeu de données, %(duplicates)s groupe(s) de doublons."
        ) % {
            "dataset": self.reconciliation.dataset.title,
            "duplicates": len(self.reconciliation.duplicates),
            **{status: counts.get(status, 0) for status in STATUSES},
        }


def reconcile_dataset(dataset: Dataset, output: Path | None = None) -> ReconcileReport:
    """Match `dataset` against the current snapshot, store the run, write the report."""
    snapshot = OsmSnapshot.objects.filter(is_current=True).first()
    if snapshot is None:
        raise ReconciliationError(
            _("Aucun instantané OSM : chargez d’abord un extrait avec la commande osm_load.")
        )
    profile = dataset.parsed_profile
    config = MatchConfig.from_profile(profile)
    places = load_places(dataset)
    candidates, flagged = load_candidates(snapshot, profile_filters(profile), places, config)
    decisions = [
        Decision(key, ref, action)
        for key, ref, action in MatchDecision.objects.filter(dataset=dataset)
        .order_by("decided_at", "pk")
        .values_list("feature_key", "osm_ref", "action")
    ]
    result = run_engine(places, candidates, config, decisions)
    with transaction.atomic():
        reconciliation = Reconciliation.objects.create(
            dataset=dataset,
            snapshot=snapshot,
            feature_count=len(places),
            candidate_count=len(candidates),
            counts=dict(Counter(outcome.status for outcome in result.outcomes)),
            duplicates=result.duplicates,
        )
        _store_matches(reconciliation, result)
        # The changes are now in a report: they are no longer news for the next run.
        OsmObject.objects.filter(pk__in=flagged).update(needs_review=False)
    if output is not None:
        with open(output, "w", encoding="utf-8") as stream:
            write_report(
                stream,
                _report_features(result, places, candidates),
                {
                    "dataset": dataset.slug,
                    "snapshot": snapshot.source_name,
                    "snapshot_timestamp": snapshot.extract_timestamp,
                    "created_at": reconciliation.created_at,
                    "counts": reconciliation.counts,
                    "duplicates": result.duplicates,
                },
            )
    return ReconcileReport(reconciliation=reconciliation, result=result)


def load_places(dataset: Dataset) -> list[DatasetPlace]:
    rows = dataset.features.filter(is_removed=False).order_by("row_number", "pk")
    return [
        DatasetPlace(key=key, name=name, lon=lon, lat=lat, properties=props, geometry=geometry)
        for key, name, lon, lat, props, geometry in rows.values_list(
            "key", "name", "lon", "lat", "properties", "geometry"
        )
    ]


def load_candidates(
    snapshot: OsmSnapshot,
    filters: TagFilterSet,
    places: list[DatasetPlace],
    config: MatchConfig,
) -> tuple[list[OsmCandidate], list[int]]:
    """The snapshot's objects that match the dataset's filters around its features, and the
    ids of those flagged for review.

    Only the dataset's area (its features' box, widened by the search distance) is looked at:
    a dataset of one city's places is not compared with a whole country's snapshot.
    """
    if not places:
        return [], []
    margin_lat = config.max_distance_m / 111_000 * 2
    margin_lon = margin_lat * 2  # generous below 60° of latitude
    query = snapshot.osm_objects.filter(
        max_lon__gte=min(p.lon for p in places) - margin_lon,
        min_lon__lte=max(p.lon for p in places) + margin_lon,
        max_lat__gte=min(p.lat for p in places) - margin_lat,
        min_lat__lte=max(p.lat for p in places) + margin_lat,
    )
    candidates, flagged = [], []
    for row in query.values_list(
        "pk",
        "osm_type",
        "osm_id",
        "tags",
        "geometry",
        "lon",
        "lat",
        "min_lon",
        "min_lat",
        "max_lon",
        "max_lat",
        "needs_review",
    ).iterator(chunk_size=BATCH_SIZE):
        pk, osm_type, osm_id, tags, geometry, lon, lat, *bbox, needs_review = row
        if not filters.matches(tags):
            continue
        candidates.append(
            OsmCandidate(
                ref=f"{osm_type}/{osm_id}",
                tags=tags,
                geometry=geometry,
                lon=lon,
                lat=lat,
                bbox=tuple(bbox),
                needs_review=needs_review,
            )
        )
        if needs_review:
            flagged.append(pk)
    return candidates, flagged


MATCH_FIELDS = (
    "reconciliation",
    "feature_key",
    "osm_ref",
    "status",
    "candidates",
    "score",
    "distance_m",
    "reasons",
    "differences",
)


def _store_matches(reconciliation: Reconciliation, result: EngineResult) -> None:
    insert_rows(
        Match,
        MATCH_FIELDS,
        (
            (
                reconciliation.pk,
                outcome.key,
                outcome.osm,
                outcome.status,
                outcome.candidates,
                outcome.score,
                outcome.distance_m,
                outcome.reasons,
                outcome.differences,
            )
            for outcome in result.outcomes
        ),
    )


def _report_features(
    result: EngineResult, places: list[DatasetPlace], candidates: list[OsmCandidate]
) -> Iterator[dict]:
    places_by_key = {place.key: place for place in places}
    candidates_by_ref = {candidate.ref: candidate for candidate in candidates}
    duplicates: dict[str, list[str]] = {}
    for group in result.duplicates:
        for key in group["keys"]:
            known = duplicates.setdefault(key, [])
            known += [other for other in group["keys"] if other != key and other not in known]
    for outcome in result.outcomes:
        if outcome.key is not None:
            place = places_by_key[outcome.key]
            yield report_feature(outcome, place.geometry, place.name, duplicates.get(place.key, []))
        else:
            candidate = candidates_by_ref[outcome.osm]
            yield report_feature(outcome, candidate.geometry, candidate.name, [])
