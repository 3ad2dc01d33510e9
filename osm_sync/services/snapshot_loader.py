"""Loading an extract as the new current snapshot, atomically.

Everything happens in one transaction: the new snapshot is written beside the current one, and
the current one is deleted only when the whole extract has been read. A truncated or corrupt
file, or any other failure, rolls back and leaves the previous snapshot in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from ..bulk_insert import insert_rows
from ..geometry import columns_for
from ..models import OsmNodeLocation, OsmObject, OsmSnapshot
from ..reading.extract import ExtractInfo, OsmRecord, read_extract
from ..reading.formats import OsmFileError
from ..tag_filters import TagFilterSet, all_profile_filters

# Way node locations are deduplicated in memory up to this many before being written.
LOCATION_BATCH_SIZE = 20000


@dataclass
class LoadReport:
    snapshot: OsmSnapshot
    info: ExtractInfo
    replaced: int

    def summary(self) -> str:
        snapshot = self.snapshot
        message = _(
            "Instantané OSM « %(name)s » chargé : %(nodes)s nœud(s), %(ways)s chemin(s), "
            "%(relations)s relation(s) retenus par les filtres, données du %(date)s."
        ) % {
            "name": snapshot.source_name,
            "nodes": snapshot.node_count,
            "ways": snapshot.way_count,
            "relations": snapshot.relation_count,
            "date": snapshot.extract_timestamp.isoformat() if snapshot.extract_timestamp else "?",
        }
        if snapshot.skipped_count:
            message += " " + _(
                "%(count)s objet(s) retenu(s) mais sans géométrie utilisable ont été ignorés "
                "(relations autres que multipolygones, membres hors de l’extrait)."
            ) % {"count": snapshot.skipped_count}
        return message


def load_snapshot(path: Path, filters: TagFilterSet | None = None) -> LoadReport:
    """Read the extract at `path` and make it the current snapshot.

    `filters` defaults to the union of every profile's `osm.filters`. Raises OsmFileError, with
    a message for the user, when the file cannot be used; nothing has changed then.
    """
    filters = filters if filters is not None else all_profile_filters()
    if not filters:
        raise OsmFileError(
            _(
                "Aucun profil de jeu de données n’a de filtres OSM (« osm.filters ») : "
                "rien à charger."
            )
        )
    info = ExtractInfo()
    try:
        with transaction.atomic():
            snapshot = OsmSnapshot.objects.create(
                source_name=path.name, filters=filters.to_json(), is_current=False
            )
            counts = _write_objects(snapshot, read_extract(path, filters, info), info)
            previous = OsmSnapshot.objects.exclude(pk=snapshot.pk)
            replaced = previous.count()
            previous.delete()
            snapshot.node_count = counts["node"]
            snapshot.way_count = counts["way"]
            snapshot.relation_count = counts["relation"]
            snapshot.skipped_count = info.skipped
            snapshot.extract_timestamp = info.timestamp
            snapshot.area_bbox = info.area_bbox or _objects_bbox(snapshot)
            snapshot.is_current = True
            snapshot.save()
    except IntegrityError as exc:
        raise OsmFileError(
            _("L’extrait contient plusieurs fois le même objet : %(error)s") % {"error": exc}
        ) from exc
    return LoadReport(snapshot=snapshot, info=info, replaced=replaced)


OBJECT_FIELDS = (
    "snapshot",
    "osm_type",
    "osm_id",
    "version",
    "timestamp",
    "tags",
    "node_refs",
    "geometry",
    "geometry_type",
    "lon",
    "lat",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
    "needs_review",
)


def _write_objects(snapshot: OsmSnapshot, records, info: ExtractInfo) -> dict[str, int]:
    counts = {"node": 0, "way": 0, "relation": 0}
    locations: dict[int, tuple[float, float]] = {}

    def rows():
        nonlocal locations
        for record in records:
            if record.geometry is None:
                info.skipped += 1
                continue
            counts[record.osm_type] += 1
            for node_id, lon, lat in record.node_locations:
                locations[node_id] = (lon, lat)
            if len(locations) >= LOCATION_BATCH_SIZE:
                _write_locations(snapshot, locations)
                locations = {}
            yield _object_row(snapshot, record)

    insert_rows(OsmObject, OBJECT_FIELDS, rows())
    _write_locations(snapshot, locations)
    return counts


def _object_row(snapshot: OsmSnapshot, record: OsmRecord) -> tuple:
    columns = columns_for(record.geometry)
    return (
        snapshot.pk,
        record.osm_type,
        record.osm_id,
        record.version,
        record.timestamp,
        record.tags,
        record.node_refs,
        columns.geometry,
        columns.geometry_type,
        columns.lon,
        columns.lat,
        columns.min_lon,
        columns.min_lat,
        columns.max_lon,
        columns.max_lat,
        False,
    )


def _write_locations(snapshot: OsmSnapshot, locations: dict[int, tuple[float, float]]) -> None:
    # A node shared by two kept ways may already be written by an earlier batch.
    insert_rows(
        OsmNodeLocation,
        ("snapshot", "node_id", "lon", "lat"),
        ((snapshot.pk, node_id, lon, lat) for node_id, (lon, lat) in locations.items()),
        ignore_conflicts=True,
    )


def _objects_bbox(snapshot: OsmSnapshot) -> list[float] | None:
    box = snapshot.osm_objects.aggregate(
        Min("min_lon"), Min("min_lat"), Max("max_lon"), Max("max_lat")
    )
    values = [box["min_lon__min"], box["min_lat__min"], box["max_lon__max"], box["max_lat__max"]]
    return None if None in values else values
