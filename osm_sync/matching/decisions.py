"""Pass 0: what people decided overrides the engine.

Decisions come in the order they were taken. For a pair, the latest decision is in force. A
confirmed (or chosen) pair is matched before any other pass runs, so that no pass can give its
OSM object to another feature; a rejected pair is never matched again, and the other passes
look for another candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .reasons import pair_reasons
from .scoring import score_pair
from .state import MATCHED, MatchState, Outcome

CONFIRM, REJECT, CHOOSE = "confirm", "reject", "choose"


@dataclass(frozen=True)
class Decision:
    feature_key: str
    osm_ref: str
    action: str


def effective_decisions(
    decisions: Iterable[Decision],
) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """(feature key -> OSM ref to force, rejected pairs), from decisions oldest first.

    A later positive decision replaces an earlier one for the same feature, and takes the OSM
    object from any other feature it was forced on.
    """
    latest: dict[tuple[str, str], str] = {}
    order: list[tuple[str, str]] = []
    for decision in decisions:
        pair = (decision.feature_key, decision.osm_ref)
        if pair in latest:
            order.remove(pair)
        latest[pair] = decision.action
        order.append(pair)
    forced: dict[str, str] = {}
    owner: dict[str, str] = {}
    for key, ref in order:
        if latest[(key, ref)] == REJECT:
            continue
        previous_ref = forced.get(key)
        if previous_ref is not None:
            owner.pop(previous_ref, None)
        previous_key = owner.get(ref)
        if previous_key is not None:
            forced.pop(previous_key, None)
        forced[key] = ref
        owner[ref] = key
    rejected = {pair for pair, action in latest.items() if action == REJECT}
    return forced, rejected


def apply_decisions(state: MatchState, decisions: Iterable[Decision]) -> None:
    forced, rejected = effective_decisions(decisions)
    state.rejected_pairs |= rejected
    for key, ref in rejected:
        state.notes[key].append(
            _("rapprochement avec %(osm)s rejeté par une personne") % {"osm": ref}
        )
    places = {place.key: place for place in state.places}
    for key, ref in forced.items():
        place = places.get(key)
        if place is None:
            continue
        candidate = state.by_ref.get(ref)
        if candidate is None:
            state.notes[key].append(
                _("l’objet OSM choisi par une personne (%(osm)s) n’est plus dans l’instantané")
                % {"osm": ref}
            )
            continue
        pair = score_pair(place, candidate, state.config)
        state.decide(
            Outcome(
                key=key,
                status=MATCHED,
                osm=ref,
                candidates=[ref],
                score=pair.score,
                distance_m=round(pair.distance_m, 1),
                reasons=[_("rapprochement confirmé par une personne")] + pair_reasons(pair),
            )
        )
