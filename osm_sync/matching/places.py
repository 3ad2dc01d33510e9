"""The two sides of a match, as plain objects: what the passes need, nothing more."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .names import normalise_name

# OSM tags that may carry the name a portal uses for the place.
NAME_TAGS = ("name", "name:fr", "official_name", "short_name", "alt_name", "loc_name", "old_name")


@dataclass(slots=True)
class DatasetPlace:
    key: str
    name: str
    lon: float
    lat: float
    properties: dict[str, Any] = field(default_factory=dict)
    geometry: dict | None = None
    normalised_name: str = field(init=False)

    def __post_init__(self) -> None:
        self.normalised_name = normalise_name(self.name)

    def value(self, field_name: str) -> str:
        value = self.properties.get(field_name)
        return "" if value is None else str(value).strip()


@dataclass(slots=True, eq=False)
class OsmCandidate:
    ref: str
    tags: dict[str, str]
    geometry: dict
    lon: float
    lat: float
    bbox: tuple[float, float, float, float]
    needs_review: bool = False
    normalised_names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        names = (normalise_name(self.tags[tag]) for tag in NAME_TAGS if self.tags.get(tag))
        self.normalised_names = tuple(dict.fromkeys(name for name in names if name))

    @property
    def is_point(self) -> bool:
        return self.geometry["type"] == "Point"

    @property
    def name(self) -> str:
        return self.tags.get("name", "")
