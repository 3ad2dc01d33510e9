"""The passes, in order. Pure: plain objects in, outcomes out, no database."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .assignment import assign_one_to_one
from .by_reference import match_by_reference
from .by_score import score_candidates
from .config import MatchConfig
from .decisions import Decision, apply_decisions
from .differences import differences
from .duplicates import mark_duplicates
from .leftovers import fill_leftovers
from .places import DatasetPlace, OsmCandidate
from .state import MATCHED, MatchState, Outcome


@dataclass
class EngineResult:
    # One per feature in dataset order, then one per unmatched OSM object.
    outcomes: list[Outcome]
    duplicates: list[dict]


def run_engine(
    places: list[DatasetPlace],
    candidates: list[OsmCandidate],
    config: MatchConfig,
    decisions: Iterable[Decision] = (),
) -> EngineResult:
    state = MatchState(places=places, candidates=candidates, config=config)
    duplicates = mark_duplicates(state)
    apply_decisions(state, decisions)
    match_by_reference(state)
    scored = score_candidates(state)
    assign_one_to_one(state, scored)
    osm_only = fill_leftovers(state, scored)
    outcomes = [state.outcomes[place.key] for place in places]
    for place, outcome in zip(places, outcomes, strict=True):
        if outcome.status == MATCHED and outcome.osm:
            outcome.differences = differences(place, state.by_ref[outcome.osm], config)
    return EngineResult(outcomes=outcomes + osm_only, duplicates=duplicates)
