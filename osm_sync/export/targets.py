"""Which OSM object each dataset feature stands for, as the latest reconciliation says.

A contribution only reaches OpenStreetMap through a pair that the matching engine found
(`matched`) or that a person confirmed or chose. Decisions recorded after the latest run are
honoured too, so that a data owner who settles an ambiguous match need not wait for the next
reconciliation; a pair rejected since is no longer used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from coproduction.models import Dataset

from ..matching.decisions import Decision, effective_decisions
from ..matching.state import AMBIGUOUS, MATCHED, MISSING_IN_OSM
from ..models import Match, MatchDecision, OsmObject, OsmSnapshot, Reconciliation
from .errors import ExportRefused

QUERY_CHUNK = 500


@dataclass(frozen=True)
class Target:
    """The OSM object of a feature, or why there is none."""

    status: str | None
    osm_object: OsmObject | None = None
    reason: str = ""


class MatchedObjects:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.reconciliation = _latest_reconciliation(dataset)
        self.snapshot = self.reconciliation.snapshot
        rows = self.reconciliation.matches.filter(feature_key__isnull=False).values_list(
            "feature_key", "status", "osm_ref", "candidates"
        )
        self.matches = {key: (status, ref, candidates) for key, status, ref, candidates in rows}
        self.forced, self.rejected = effective_decisions(
            Decision(key, ref, action)
            for key, ref, action in MatchDecision.objects.filter(dataset=dataset)
            .order_by("decided_at", "pk")
            .values_list("feature_key", "osm_ref", "action")
        )
        self._objects: dict[str, OsmObject | None] = {}

    def status(self, key: str) -> str | None:
        """The feature's status in the latest run (None when the run did not see it)."""
        match = self.matches.get(key)
        return match[0] if match else None

    def resolve(self, key: str) -> Target:
        status, ref, candidates = self.matches.get(key, (None, None, []))
        chosen = self.forced.get(key)
        if chosen is None and status == MATCHED and (key, ref) not in self.rejected:
            chosen = ref
        if chosen is None:
            return Target(status, reason=_unmatched_reason(status, ref, candidates))
        osm_object = self._object(chosen)
        if osm_object is None:
            return Target(
                status,
                reason=_("l’objet OSM %(osm)s n’est plus dans l’instantané") % {"osm": chosen},
            )
        return Target(MATCHED, osm_object)

    def prefetch(self, keys: Iterable[str]) -> None:
        """Load the objects of these features in a few queries rather than one each."""
        refs = {self.forced.get(key) or self.matches.get(key, (None, None))[1] for key in keys}
        by_type: dict[str, list[int]] = {}
        for ref in refs - set(self._objects) - {None}:
            osm_type, osm_id = ref.split("/")
            by_type.setdefault(osm_type, []).append(int(osm_id))
            self._objects[ref] = None
        for osm_type, ids in by_type.items():
            for start in range(0, len(ids), QUERY_CHUNK):
                for osm_object in self.snapshot.osm_objects.filter(
                    osm_type=osm_type, osm_id__in=ids[start : start + QUERY_CHUNK]
                ):
                    self._objects[osm_object.ref] = osm_object

    def last_known_ref(self, key: str) -> str | None:
        """The OSM object a feature was last matched with, in any run: a place reported
        closed has left the dataset, so the latest run no longer lists it."""
        return (
            Match.objects.filter(
                reconciliation__dataset=self.dataset, feature_key=key, status=MATCHED
            )
            .order_by("-reconciliation__created_at", "-reconciliation__pk")
            .values_list("osm_ref", flat=True)
            .first()
        )

    def _object(self, ref: str) -> OsmObject | None:
        if ref not in self._objects:
            osm_type, osm_id = ref.split("/")
            self._objects[ref] = self.snapshot.osm_objects.filter(
                osm_type=osm_type, osm_id=int(osm_id)
            ).first()
        return self._objects[ref]


def _latest_reconciliation(dataset: Dataset) -> Reconciliation:
    reconciliation = (
        dataset.reconciliations.select_related("snapshot").order_by("-created_at", "-pk").first()
    )
    if reconciliation is None:
        raise ExportRefused(
            _(
                "Le jeu de données « %(slug)s » n’a jamais été rapproché d’OpenStreetMap : "
                "lancez d’abord « reconcile %(slug)s »."
            )
            % {"slug": dataset.slug}
        )
    current = OsmSnapshot.objects.filter(is_current=True).values_list("pk", flat=True).first()
    if reconciliation.snapshot_id is None or reconciliation.snapshot_id != current:
        # A new extract may hold newer versions that no flag tells about.
        raise ExportRefused(
            _(
                "Le dernier rapprochement de « %(slug)s » a été fait avec un autre instantané "
                "OpenStreetMap que l’actuel : relancez « reconcile %(slug)s »."
            )
            % {"slug": dataset.slug}
        )
    return reconciliation


def _unmatched_reason(status: str | None, ref: str | None, candidates: list[str]) -> str:
    if status is None:
        return _("ce lieu n’est pas dans le dernier rapprochement : relancez « reconcile »")
    if status == MATCHED:
        return _("rapprochement avec %(osm)s rejeté par une personne") % {"osm": ref}
    if status == AMBIGUOUS:
        return _(
            "rapprochement ambigu (%(candidates)s) : choisissez le bon objet avec "
            "« match_decision »"
        ) % {"candidates": ", ".join(candidates)}
    if status == MISSING_IN_OSM:
        return _("aucun objet OpenStreetMap ne correspond à ce lieu")
    return _("pas rapproché d’un objet OpenStreetMap")
