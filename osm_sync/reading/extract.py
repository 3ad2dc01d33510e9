"""Streaming the objects of an extract that match the profiles' filters.

osmium does the heavy work in C++: decoding, keeping node locations for way geometries,
assembling multipolygon relations, and a coarse tag filter so that only likely candidates reach
Python. Python then applies the exact filter and copies out what the snapshot keeps. Objects
are yielded one at a time: memory stays bounded whatever the size of the extract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import osmium
from django.utils.translation import gettext as _

from ..geometry import multipolygon_geometry, point_geometry, way_geometry
from ..tag_filters import TagFilterSet
from .formats import OsmFileError, check_extract, unreadable_extract

# Relation types that osmium assembles into areas.
AREA_RELATION_TYPES = {"multipolygon", "boundary"}
# osmium writes a missing timestamp as the epoch; no OSM edit is that old.
FIRST_OSM_EDIT = datetime(2004, 1, 1, tzinfo=UTC)


@dataclass(slots=True)
class OsmRecord:
    osm_type: str
    osm_id: int
    version: int
    timestamp: datetime | None
    tags: dict[str, str]
    geometry: dict
    # For ways: the node ids, and the locations known for them, to reshape the way later.
    node_refs: list[int] = field(default_factory=list)
    node_locations: list[tuple[int, float, float]] = field(default_factory=list)


@dataclass
class ExtractInfo:
    """What is known about the extract besides its objects, filled while it is read."""

    header_timestamp: datetime | None = None
    area_bbox: list[float] | None = None
    max_timestamp: datetime | None = None
    skipped: int = 0
    area_relations_seen: int = 0
    area_relations_built: int = 0

    @property
    def timestamp(self) -> datetime | None:
        """The replication timestamp when the extract has one; otherwise the newest of the
        kept objects, a lower bound of the extract's date."""
        return self.header_timestamp or self.max_timestamp

    @property
    def unbuilt_areas(self) -> int:
        """Multipolygons osmium could not assemble (members cut off by the extract's edge)."""
        return max(0, self.area_relations_seen - self.area_relations_built)


def read_extract(path: Path, filters: TagFilterSet, info: ExtractInfo) -> Iterator[OsmRecord]:
    """Yield the objects of `path` that `filters` matches; raise OsmFileError if unreadable."""
    check_extract(path)
    processor = (
        osmium.FileProcessor(str(path))
        .with_locations()
        .with_areas(filters.osmium_prefilter())
        .with_filter(filters.osmium_prefilter())
    )
    try:
        _read_header(processor, info)
        for obj in processor:
            record = _record(obj, filters, info)
            if record is not None:
                if record.timestamp and (
                    info.max_timestamp is None or record.timestamp > info.max_timestamp
                ):
                    info.max_timestamp = record.timestamp
                yield record
    except OsmFileError:
        raise
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        raise unreadable_extract(path, exc) from exc


def _read_header(processor: osmium.FileProcessor, info: ExtractInfo) -> None:
    header = processor.header
    stamp = header.get("osmosis_replication_timestamp") or header.get("timestamp")
    if stamp:
        info.header_timestamp = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    box = header.box()
    if box.valid():
        info.area_bbox = [
            box.bottom_left.lon,
            box.bottom_left.lat,
            box.top_right.lon,
            box.top_right.lat,
        ]


def _record(obj, filters: TagFilterSet, info: ExtractInfo) -> OsmRecord | None:
    if obj.deleted:
        raise OsmFileError(
            _(
                "Ce fichier contient des suppressions d’objets : c’est un fichier de modifications "
                "(osmChange). Chargez-le avec osm_apply_changes."
            )
        )
    kind = obj.type_str()
    if kind == "r":
        if obj.tags.get("type") in AREA_RELATION_TYPES and filters.matches(obj.tags):
            info.area_relations_seen += 1
        elif filters.matches(obj.tags):
            info.skipped += 1  # other relations have no geometry of their own
        return None
    if not filters.matches(obj.tags):
        return None
    if kind == "n":
        geometry = point_geometry(obj.lon, obj.lat) if obj.location.valid() else None
        return _make(obj, "node", obj.id, geometry, info)
    if kind == "w":
        refs = [node.ref for node in obj.nodes]
        known = [(n.ref, n.lon, n.lat) for n in obj.nodes if n.location.valid()]
        closed = len(refs) >= 4 and refs[0] == refs[-1]
        geometry = way_geometry([(lon, lat) for _ref, lon, lat in known], closed)
        record = _make(obj, "way", obj.id, geometry, info)
        if record is not None:
            record.node_refs = refs
            record.node_locations = known
        return record
    if obj.from_way():
        return None  # closed ways are drawn from their own nodes above
    rings = [
        [_ring(outer)] + [_ring(inner) for inner in obj.inner_rings(outer)]
        for outer in obj.outer_rings()
    ]
    info.area_relations_built += 1
    return _make(obj, "relation", obj.orig_id(), multipolygon_geometry(rings), info)


def _make(obj, osm_type: str, osm_id: int, geometry: dict | None, info: ExtractInfo):
    if geometry is None:
        info.skipped += 1
        return None
    stamp = obj.timestamp
    return OsmRecord(
        osm_type=osm_type,
        osm_id=osm_id,
        version=obj.version,
        timestamp=stamp if stamp and stamp >= FIRST_OSM_EDIT else None,
        tags={tag.k: tag.v for tag in obj.tags},
        geometry=geometry,
    )


def _ring(ring) -> list[tuple[float, float]]:
    return [(node.lon, node.lat) for node in ring]

