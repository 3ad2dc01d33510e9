"""What the passes share: the outcomes decided so far, and what is still free to match."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .config import MatchConfig
from .places import DatasetPlace, OsmCandidate

MATCHED = "matched"
AMBIGUOUS = "ambiguous"
MISSING_IN_OSM = "missing_in_osm"
MISSING_IN_DATASET = "missing_in_dataset"


@dataclass(slots=True)
class Outcome:
    """One line of the report (see the reconciliation report contract in DESIGN.md)."""

    key: str | None
    status: str
    osm: str | None = None
    candidates: list[str] = field(default_factory=list)
    score: float | None = None
    distance_m: float | None = None
    reasons: list[str] = field(default_factory=list)
    differences: list[dict] = field(default_factory=list)


@dataclass
class MatchState:
    places: list[DatasetPlace]
    candidates: list[OsmCandidate]
    config: MatchConfig
    # Pairs a person rejected: no pass may match them again.
    rejected_pairs: set[tuple[str, str]] = field(default_factory=set)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    # OSM refs already matched (one-to-one).
    used: set[str] = field(default_factory=set)
    # Feature key -> reasons that come from earlier passes, added to its final outcome.
    notes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Feature key -> keys of the features it probably duplicates.
    duplicates: dict[str, list[str]] = field(default_factory=dict)
    # OSM ref -> keys of the ambiguous features that listed it as a candidate.
    contested: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        self.by_ref = {candidate.ref: candidate for candidate in self.candidates}

    def open_places(self) -> list[DatasetPlace]:
        return [place for place in self.places if place.key not in self.outcomes]

    def is_free(self, key: str, ref: str) -> bool:
        return ref not in self.used and (key, ref) not in self.rejected_pairs

    def decide(self, outcome: Outcome) -> None:
        assert outcome.key is not None
        outcome.reasons = self.notes.get(outcome.key, []) + outcome.reasons
        self.outcomes[outcome.key] = outcome
        if outcome.status == MATCHED and outcome.osm:
            self.used.add(outcome.osm)
