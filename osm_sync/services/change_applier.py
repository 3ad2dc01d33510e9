"""Bringing the current snapshot forward with an osmChange file.

Only objects that match the snapshot's filters, and objects the snapshot holds, are touched.
Ways are redrawn from node locations found in the change file itself, then in the node
locations kept at load time; a way whose nodes are not all known keeps its previous geometry
(a new one is skipped), and modified multipolygon relations keep theirs: a change file does not
carry the member ways needed to rebuild them. Matched objects that change are flagged
`needs_review`. The whole file is applied in one transaction, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Match, OsmSnapshot, Reconciliation
from ..models.reconciliation import MatchStatus
from ..reading.changes import ChangedObject, ChangeFileInfo, read_changes
from ..reading.formats import OsmFileError
from ..tag_filters import TagFilterSet
from .change_writer import SnapshotChangeWriter


@dataclass
class ChangeReport:
    objects_read: int = 0
    created: int = 0
    modified: int = 0
    deleted: int = 0
    reshaped: int = 0
    geometry_kept: int = 0
    skipped_without_geometry: int = 0
    out_of_area: int = 0
    stale: int = 0
    flagged_for_review: int = 0

    @property
    def touched(self) -> int:
        return self.created + self.modified + self.deleted + self.reshaped

    def summary(self) -> str:
        message = _(
            "%(read)s objet(s) lu(s) : %(created)s créé(s), %(modified)s modifié(s), "
            "%(deleted)s supprimé(s), %(reshaped)s chemin(s) redessiné(s) ; %(review)s objet(s) "
            "rapproché(s) à revoir."
        ) % {
            "read": self.objects_read,
            "created": self.created,
            "modified": self.modified,
            "deleted": self.deleted,
            "reshaped": self.reshaped,
            "review": self.flagged_for_review,
        }
        notes = []
        if self.geometry_kept:
            notes.append(
                _("%(n)s géométrie(s) conservée(s) faute de positions connues pour tous les nœuds")
                % {"n": self.geometry_kept}
            )
        if self.skipped_without_geometry:
            notes.append(
                _("%(n)s nouvel(s) objet(s) ignoré(s) faute de géométrie")
                % {"n": self.skipped_without_geometry}
            )
        if self.out_of_area:
            notes.append(
                _("%(n)s objet(s) créé(s) hors de l’emprise de l’extrait ignoré(s)")
                % {"n": self.out_of_area}
            )
        if self.stale:
            notes.append(_("%(n)s version(s) déjà connue(s) ignorée(s)") % {"n": self.stale})
        if not self.touched:
            notes.append(
                _(
                    "aucun objet de l’instantané n’est concerné : ce fichier couvre peut-être une "
                    "autre zone ou a déjà été appliqué"
                )
            )
        return message + ("\n" + " ; ".join(notes) + "." if notes else "")


def apply_changes(path: Path) -> ChangeReport:
    """Apply the osmChange at `path` to the current snapshot.

    Raises OsmFileError when there is no snapshot or the file cannot be used; the snapshot is
    then unchanged.
    """
    snapshot = OsmSnapshot.objects.filter(is_current=True).first()
    if snapshot is None:
        raise OsmFileError(
            _("Aucun instantané OSM : chargez d’abord un extrait avec la commande osm_load.")
        )
    filters = TagFilterSet.from_json(snapshot.filters)
    held = {
        (osm_type, osm_id): version
        for osm_type, osm_id, version in snapshot.osm_objects.values_list(
            "osm_type", "osm_id", "version"
        )
    }
    way_nodes = set(snapshot.node_locations.values_list("node_id", flat=True))

    def relevant(osm_type, osm_id, tags, deleted) -> bool:
        return (
            (osm_type, osm_id) in held
            or (osm_type == "node" and osm_id in way_nodes)
            or (not deleted and filters.matches(tags))
        )

    report = ChangeReport()
    info = ChangeFileInfo()
    pending: dict[tuple[str, int], ChangedObject] = {}
    moved_nodes: dict[int, tuple[float, float]] = {}
    for change in read_changes(path, relevant, info):
        if change.version <= held.get(change.key, 0) or change.version <= getattr(
            pending.get(change.key), "version", 0
        ):
            report.stale += 1
            continue
        if change.osm_type == "node" and change.osm_id in way_nodes and change.location:
            moved_nodes[change.osm_id] = change.location
        if change.key in held or (not change.deleted and filters.matches(change.tags)):
            pending[change.key] = change
    report.objects_read = info.objects_read
    with transaction.atomic():
        SnapshotChangeWriter(snapshot, filters, report, matched_osm_refs()).apply(
            list(pending.values()), moved_nodes
        )
        if info.max_timestamp and (
            snapshot.extract_timestamp is None or info.max_timestamp > snapshot.extract_timestamp
        ):
            snapshot.extract_timestamp = info.max_timestamp
        snapshot.change_files_applied += 1
        snapshot.last_change_file = path.name
        snapshot.save()
    return report


def matched_osm_refs() -> set[str]:
    """OSM objects matched by the latest reconciliation of each dataset."""
    latest: dict[int, int] = {}
    for pk, dataset_id in Reconciliation.objects.order_by("created_at", "pk").values_list(
        "pk", "dataset_id"
    ):
        latest[dataset_id] = pk
    return set(
        Match.objects.filter(
            reconciliation_id__in=latest.values(), status=MatchStatus.MATCHED
        ).values_list("osm_ref", flat=True)
    )
