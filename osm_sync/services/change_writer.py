"""Writing the relevant objects of a change file into the snapshot (see change_applier)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..geometry import columns_for, point_geometry, way_geometry
from ..models import OsmNodeLocation, OsmObject, OsmSnapshot
from ..reading.changes import ChangedObject
from ..tag_filters import TagFilterSet

if TYPE_CHECKING:
    from .change_applier import ChangeReport

# Objects a change file creates this far (in degrees) outside the extract's area are ignored.
AREA_MARGIN_DEG = 0.01
QUERY_CHUNK = 500

Locations = dict[int, tuple[float, float]]


class SnapshotChangeWriter:
    def __init__(
        self,
        snapshot: OsmSnapshot,
        filters: TagFilterSet,
        report: ChangeReport,
        review_refs: set[str],
    ) -> None:
        self.snapshot = snapshot
        self.filters = filters
        self.report = report
        self.review_refs = review_refs
        self.locations: Locations = {}

    def apply(self, changes: list[ChangedObject], moved_nodes: Locations) -> None:
        moved_nodes = self._really_moved(moved_nodes)
        existing = self._existing(changes)
        self.locations = self._known_locations(changes, moved_nodes)
        self.locations.update(moved_nodes)
        created: list[OsmObject] = []
        touched_ways: set[int] = set()
        for change in changes:
            current = existing.get(change.key)
            if change.deleted or not self.filters.matches(change.tags):
                if current is not None:
                    current.delete()
                    self.report.deleted += 1
                continue
            for ref, location in change.node_locations.items():
                self.locations.setdefault(ref, location)
            geometry = self._geometry(change)
            if change.osm_type == "way":
                touched_ways.add(change.osm_id)
            if current is None:
                new = self._new_object(change, geometry)
                if new is not None:
                    created.append(new)
            else:
                self._update(current, change, geometry)
        OsmObject.objects.bulk_create(created)
        self.report.created += len(created)
        self._reshape_ways(moved_nodes, touched_ways)
        self._save_locations(changes, moved_nodes)

    def _existing(self, changes: list[ChangedObject]) -> dict[tuple[str, int], OsmObject]:
        result: dict[tuple[str, int], OsmObject] = {}
        for osm_type in ("node", "way", "relation"):
            ids = [c.osm_id for c in changes if c.osm_type == osm_type]
            for start in range(0, len(ids), QUERY_CHUNK):
                for obj in self.snapshot.osm_objects.filter(
                    osm_type=osm_type, osm_id__in=ids[start : start + QUERY_CHUNK]
                ):
                    result[(osm_type, obj.osm_id)] = obj
        return result

    def _really_moved(self, moved: Locations) -> Locations:
        """Way nodes whose new version is elsewhere (a new version may only change tags)."""
        ids = list(moved)
        known: Locations = {}
        for start in range(0, len(ids), QUERY_CHUNK):
            rows = self.snapshot.node_locations.filter(
                node_id__in=ids[start : start + QUERY_CHUNK]
            ).values_list("node_id", "lon", "lat")
            known.update({node_id: (lon, lat) for node_id, lon, lat in rows})
        return {ref: location for ref, location in moved.items() if known.get(ref) != location}

    def _known_locations(self, changes: list[ChangedObject], moved: Locations) -> Locations:
        """Locations kept at load time for the way nodes the change file does not carry."""
        missing = sorted(
            {
                ref
                for change in changes
                for ref in change.node_refs
                if ref not in change.node_locations and ref not in moved
            }
        )
        locations: Locations = {}
        for start in range(0, len(missing), QUERY_CHUNK):
            rows = self.snapshot.node_locations.filter(
                node_id__in=missing[start : start + QUERY_CHUNK]
            ).values_list("node_id", "lon", "lat")
            locations.update({node_id: (lon, lat) for node_id, lon, lat in rows})
        return locations

    def _geometry(self, change: ChangedObject) -> dict | None:
        if change.osm_type == "node":
            return point_geometry(*change.location) if change.location else None
        if change.osm_type == "way":
            return self._way_geometry(change.node_refs)
        return None  # a multipolygon needs its member ways, which a change file lacks

    def _way_geometry(self, refs: list[int]) -> dict | None:
        if not refs or any(ref not in self.locations for ref in refs):
            return None
        closed = len(refs) >= 4 and refs[0] == refs[-1]
        return way_geometry([self.locations[ref] for ref in refs], closed)

    def _new_object(self, change: ChangedObject, geometry: dict | None) -> OsmObject | None:
        if geometry is None:
            self.report.skipped_without_geometry += 1
            return None
        columns = columns_for(geometry)
        if not self._in_area(columns.lon, columns.lat):
            self.report.out_of_area += 1
            return None
        return OsmObject(
            snapshot=self.snapshot,
            osm_type=change.osm_type,
            osm_id=change.osm_id,
            version=change.version,
            timestamp=change.timestamp,
            tags=change.tags,
            node_refs=change.node_refs,
            **columns.as_fields(),
        )

    def _update(self, current: OsmObject, change: ChangedObject, geometry: dict | None) -> None:
        current.version = change.version
        current.timestamp = change.timestamp
        current.tags = change.tags
        if change.osm_type == "way":
            current.node_refs = change.node_refs
        if geometry is not None:
            for name, value in columns_for(geometry).as_fields().items():
                setattr(current, name, value)
        else:
            self.report.geometry_kept += 1
        self._flag(current)
        current.save()
        self.report.modified += 1

    def _reshape_ways(self, moved: Locations, already_done: set[int]) -> None:
        """Ways whose nodes moved although the ways themselves did not change."""
        if not moved:
            return
        for way in self.snapshot.osm_objects.filter(osm_type="way").exclude(
            osm_id__in=already_done
        ):
            if not any(ref in moved for ref in way.node_refs):
                continue
            self.locations.update(self._known_locations_for(way.node_refs))
            geometry = self._way_geometry(way.node_refs)
            if geometry is None:
                self.report.geometry_kept += 1
                continue
            for name, value in columns_for(geometry).as_fields().items():
                setattr(way, name, value)
            self._flag(way)
            way.save()
            self.report.reshaped += 1

    def _known_locations_for(self, refs: Iterable[int]) -> Locations:
        missing = [ref for ref in refs if ref not in self.locations]
        rows = self.snapshot.node_locations.filter(node_id__in=missing).values_list(
            "node_id", "lon", "lat"
        )
        return {node_id: (lon, lat) for node_id, lon, lat in rows}

    def _save_locations(self, changes: list[ChangedObject], moved: Locations) -> None:
        new_locations = dict(moved)
        for change in changes:
            if change.osm_type == "way" and not change.deleted:
                new_locations.update(change.node_locations)
        ids = list(new_locations)
        for start in range(0, len(ids), QUERY_CHUNK):
            self.snapshot.node_locations.filter(
                node_id__in=ids[start : start + QUERY_CHUNK]
            ).delete()
        OsmNodeLocation.objects.bulk_create(
            [
                OsmNodeLocation(snapshot=self.snapshot, node_id=ref, lon=lon, lat=lat)
                for ref, (lon, lat) in new_locations.items()
            ],
            batch_size=2000,
        )

    def _flag(self, obj: OsmObject) -> None:
        if obj.ref in self.review_refs and not obj.needs_review:
            obj.needs_review = True
            self.report.flagged_for_review += 1

    def _in_area(self, lon: float, lat: float) -> bool:
        box = self.snapshot.area_bbox
        if not box:
            return True
        west, south, east, north = box
        return (
            west - AREA_MARGIN_DEG <= lon <= east + AREA_MARGIN_DEG
            and south - AREA_MARGIN_DEG <= lat <= north + AREA_MARGIN_DEG
        )
