"""Streaming the objects of an extract that match the profiles' filters.

osmium does the heavy work in C++: decoding, a coarse tag filter so that only likely
candidates reach Python, and node locations for way geometries. The handler chain is built by
hand rather than with FileProcessor.with_locations()/with_areas(), for speed: those look up the
node locations of every way and assemble every closed way of the extract into an area (most
of them buildings), which made loading three to four times slower than `osmium tags-filter`.
Here ways are filtered by tags *before* the location handler, so only matching ways are
located; the members of matching multipolygon relations are read in a second, ways-only pass
(relations come last in a file), and their rings are assembled with shapely.

Python then applies the exact filter and copies out what the snapshot keeps. Objects are yielded
one at a time; only matching multipolygon relations wait for the second pass. The node location
index (osmium's flex_mem: a dense or sparse array of 8 to 16 bytes per node, in C++) is the one
structure that grows with the extract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import osmium
from django.utils.translation import gettext as _
from osmium.io import Reader, ThreadPool

from ..geometry import multipolygon_geometry, point_geometry, way_geometry
from ..tag_filters import TagFilterSet
from .formats import OsmFileError, check_extract, unreadable_extract

# Relation types whose members draw an area.
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
    geometry: dict | None
    # For ways: the node ids, and the locations known for them, to reshape the way later.
    node_refs: list[int] = field(default_factory=list)
    node_locations: list[tuple[int, float, float]] = field(default_factory=list)
    # For multipolygon relations, until their member ways are read: (way id, role).
    members: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ExtractInfo:
    """What is known about the extract besides its objects, filled while it is read."""

    header_timestamp: datetime | None = None
    area_bbox: list[float] | None = None
    max_timestamp: datetime | None = None
    skipped: int = 0

    @property
    def timestamp(self) -> datetime | None:
        """The replication timestamp when the extract has one; otherwise the newest of the
        kept objects, a lower bound of the extract's date."""
        return self.header_timestamp or self.max_timestamp


def read_extract(path: Path, filters: TagFilterSet, info: ExtractInfo) -> Iterator[OsmRecord]:
    """Yield the objects of `path` that `filters` matches; raise OsmFileError if unreadable."""
    check_extract(path)
    try:
        yield from _read(path, filters, info)
    except OsmFileError:
        raise
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        raise unreadable_extract(path, exc) from exc


def _read(path: Path, filters: TagFilterSet, info: ExtractInfo) -> Iterator[OsmRecord]:
    pool = ThreadPool()
    with Reader(str(path), osmium.osm.NOTHING, thread_pool=pool) as reader:
        _read_header(reader.header(), info)
    index = osmium.index.create_map("flex_mem")
    way_prefilter = filters.osmium_prefilter()
    way_prefilter.enable_for(osmium.osm.WAY)
    relations: list[OsmRecord] = []
    with Reader(str(path), osmium.osm.ALL, thread_pool=pool) as reader:
        chain = (way_prefilter, _locations(index), filters.osmium_prefilter())
        for obj in osmium.OsmFileIterator(reader, *chain):
            record = _record(obj, filters, info)
            if record is None:
                continue
            if record.members:
                relations.append(record)
            else:
                yield _seen(record, info)
    if relations:
        yield from _assemble(path, pool, index, relations, info)


def _locations(index) -> osmium.NodeLocationsForWays:
    handler = osmium.NodeLocationsForWays(index)
    handler.ignore_errors()  # nodes outside the extract: the way is drawn from the others
    return handler


def _read_header(header, info: ExtractInfo) -> None:
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
    if not filters.matches(obj.tags):
        return None
    kind = obj.type_str()
    if kind == "n":
        geometry = point_geometry(obj.lon, obj.lat) if obj.location.valid() else None
        return _make(obj, "node", geometry)
    if kind == "w":
        refs = [node.ref for node in obj.nodes]
        known = [(n.ref, n.lon, n.lat) for n in obj.nodes if n.location.valid()]
        closed = len(refs) >= 4 and refs[0] == refs[-1]
        record = _make(obj, "way", way_geometry([(lon, lat) for _r, lon, lat in known], closed))
        record.node_refs, record.node_locations = refs, known
        return record
    members = [(m.ref, m.role) for m in obj.members if m.type == "w"]
    if obj.tags.get("type") not in AREA_RELATION_TYPES or not members:
        info.skipped += 1  # other relations have no geometry of their own
        return None
    record = _make(obj, "relation", None)
    record.members = members
    return record


def _make(obj, osm_type: str, geometry: dict | None) -> OsmRecord:
    stamp = obj.timestamp
    return OsmRecord(
        osm_type=osm_type,
        osm_id=obj.id,
        version=obj.version,
        timestamp=stamp if stamp and stamp >= FIRST_OSM_EDIT else None,
        tags={tag.k: tag.v for tag in obj.tags},
        geometry=geometry,
    )


def _seen(record: OsmRecord, info: ExtractInfo) -> OsmRecord:
    if record.timestamp and (info.max_timestamp is None or record.timestamp > info.max_timestamp):
        info.max_timestamp = record.timestamp
    return record


def _assemble(path, pool, index, relations: list[OsmRecord], info: ExtractInfo):
    """Second pass, ways only: the member ways of the multipolygons, located with the node
    index of the first pass, then each relation's rings."""
    wanted = {way_id for relation in relations for way_id, _role in relation.members}
    lines: dict[int, list[tuple[float, float]]] = {}
    with Reader(str(path), osmium.osm.WAY, thread_pool=pool) as reader:
        chain = (osmium.filter.IdFilter(wanted), _locations(index))
        for way in osmium.OsmFileIterator(reader, *chain):
            lines[way.id] = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
    for relation in relations:
        outer = [lines[ref] for ref, role in relation.members if role != "inner" and ref in lines]
        inner = [lines[ref] for ref, role in relation.members if role == "inner" and ref in lines]
        relation.geometry = multipolygon_geometry(outer, inner)
        relation.members = []
        yield _seen(relation, info)
