"""What an export holds: the OSM objects that accepted contributions modify, the nodes that
added places create, and every contribution left out with the reason why.

There is deliberately no "deleted" list: a place reported closed goes to the places to check
on the ground, because a mapper, not a file, decides that a place is gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coproduction.models import Contribution, Dataset

from ..models import OsmObject

# Closer than this (in degrees, about 1 cm), a node has not moved.
SAME_POSITION_DEG = 1e-7


@dataclass
class ObjectEdit:
    """An OSM object as it is in the snapshot, with the accepted values written over it."""

    osm_object: OsmObject
    feature_key: str
    tags: dict[str, str]
    lat: float
    lon: float
    contributions: list[Contribution] = field(default_factory=list)

    @classmethod
    def of(cls, osm_object: OsmObject, feature_key: str) -> ObjectEdit:
        return cls(osm_object, feature_key, dict(osm_object.tags), osm_object.lat, osm_object.lon)

    @property
    def moved(self) -> bool:
        original = self.osm_object
        return (
            abs(self.lat - original.lat) >= SAME_POSITION_DEG
            or abs(self.lon - original.lon) >= SAME_POSITION_DEG
        )

    @property
    def changed(self) -> bool:
        return self.tags != self.osm_object.tags or self.moved


@dataclass
class NewNode:
    """A place the dataset gained that OpenStreetMap lacks. Negative ids are the osmChange
    way of saying "new": the API gives the real id at upload."""

    id: int
    lat: float
    lon: float
    tags: dict[str, str]
    feature_key: str
    contributions: list[Contribution] = field(default_factory=list)


@dataclass(frozen=True)
class Skipped:
    contribution: Contribution
    reason: str


@dataclass(frozen=True)
class ToCheck:
    """A place reported closed or gone: for a mapper to check, never deleted by the file."""

    contribution: Contribution
    name: str
    osm_ref: str | None


@dataclass
class OsmExport:
    dataset: Dataset
    changeset_tags: dict[str, str]
    modified: list[ObjectEdit] = field(default_factory=list)
    created: list[NewNode] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    to_check: list[ToCheck] = field(default_factory=list)
    comments: int = 0

    @property
    def exported_contributions(self) -> int:
        return sum(len(item.contributions) for item in [*self.modified, *self.created])
