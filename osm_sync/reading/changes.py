"""Streaming the objects of an osmChange file that concern the snapshot.

A change file holds creations, modifications and deletions, usually for a much larger area
than the snapshot's. Each object is offered to a `relevant` test (the snapshot's filters, or
an id the snapshot holds) before anything is copied out of osmium, so that a large change file
costs little memory. Deletions carry no tags: only the ids tell whether they concern us.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import osmium

from .extract import FIRST_OSM_EDIT
from .formats import check_change_file, unreadable_changes

TYPE_NAMES = {"n": "node", "w": "way", "r": "relation"}

# (osm_type, osm_id, tags, deleted) -> whether the object concerns the snapshot.
Relevance = Callable[[str, int, Mapping[str, str], bool], bool]


@dataclass(slots=True)
class ChangedObject:
    osm_type: str
    osm_id: int
    version: int
    timestamp: datetime | None
    deleted: bool
    tags: dict[str, str] = field(default_factory=dict)
    location: tuple[float, float] | None = None
    # For ways: the node ids, and the locations the change file itself gives for them.
    node_refs: list[int] = field(default_factory=list)
    node_locations: dict[int, tuple[float, float]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int]:
        return (self.osm_type, self.osm_id)


@dataclass
class ChangeFileInfo:
    objects_read: int = 0
    max_timestamp: datetime | None = None


def read_changes(path: Path, relevant: Relevance, info: ChangeFileInfo) -> Iterator[ChangedObject]:
    """Yield the relevant objects of the change file, in file order (later versions last).

    Raises OsmFileError when the file is not an osmChange or cannot be read.
    """
    check_change_file(path)
    # Node locations of the change file itself, for the ways it creates or modifies.
    processor = osmium.FileProcessor(str(path)).with_locations()
    try:
        for obj in processor:
            info.objects_read += 1
            stamp = obj.timestamp if obj.timestamp and obj.timestamp >= FIRST_OSM_EDIT else None
            if stamp and (info.max_timestamp is None or stamp > info.max_timestamp):
                info.max_timestamp = stamp
            osm_type = TYPE_NAMES[obj.type_str()]
            if relevant(osm_type, obj.id, obj.tags, obj.deleted):
                yield _copy(obj, osm_type, stamp)
    except (RuntimeError, OSError, ValueError, KeyError) as exc:
        raise unreadable_changes(path, exc) from exc


def _copy(obj, osm_type: str, stamp: datetime | None) -> ChangedObject:
    change = ChangedObject(
        osm_type=osm_type,
        osm_id=obj.id,
        version=obj.version,
        timestamp=stamp,
        deleted=obj.deleted,
    )
    if obj.deleted:
        return change
    change.tags = {tag.k: tag.v for tag in obj.tags}
    if osm_type == "node" and obj.location.valid():
        change.location = (obj.lon, obj.lat)
    elif osm_type == "way":
        change.node_refs = [node.ref for node in obj.nodes]
        change.node_locations = {
            node.ref: (node.lon, node.lat) for node in obj.nodes if node.location.valid()
        }
    return change
