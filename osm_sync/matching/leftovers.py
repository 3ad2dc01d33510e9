"""Pass 5: what is left on each side, and why it found no match."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .reasons import distance_text, name_text
from .scoring import PairScore
from .state import MATCHED, MISSING_IN_DATASET, MISSING_IN_OSM, MatchState, Outcome

# How many of the near but unmatched OSM objects a feature lists as candidates.
LISTED_NEAR_CANDIDATES = 3


def fill_leftovers(state: MatchState, scored: dict[str, list[PairScore]]) -> list[Outcome]:
    """Decide every open feature as missing in OSM; return the unmatched OSM objects."""
    owners = {
        outcome.osm: key
        for key, outcome in state.outcomes.items()
        if outcome.status == MATCHED and outcome.osm
    }
    for place in state.open_places():
        near = scored.get(place.key, [])[:LISTED_NEAR_CANDIDATES]
        state.decide(
            Outcome(
                key=place.key,
                status=MISSING_IN_OSM,
                candidates=[pair.candidate.ref for pair in near],
                reasons=_missing_reasons(near, owners, state.config.max_distance_m),
            )
        )
    unmatched = _("aucun élément du jeu de données ne lui correspond")
    return [
        Outcome(
            key=None,
            status=MISSING_IN_DATASET,
            osm=candidate.ref,
            reasons=_contested_reasons(state.contested[candidate.ref])
            if candidate.ref in state.contested
            else [unmatched],
        )
        for candidate in sorted(state.candidates, key=lambda c: c.ref)
        if candidate.ref not in state.used
    ]


def _missing_reasons(near: list[PairScore], owners: dict[str, str], max_distance: float):
    if not near:
        return [
            _("aucun objet OSM de ce type à moins de %(distance)s m")
            % {"distance": round(max_distance)}
        ]
    reasons = []
    for pair in near:
        ref = pair.candidate.ref
        if ref in owners:
            reasons.append(
                _("%(osm)s (%(distance)s) est déjà rapproché de %(key)s")
                % {"osm": ref, "distance": distance_text(pair), "key": owners[ref]}
            )
        else:
            reasons.append(
                _("%(osm)s (%(distance)s) : %(name)s, correspondance trop faible")
                % {"osm": ref, "distance": distance_text(pair), "name": name_text(pair)}
            )
    return reasons


def _contested_reasons(contested_by: list[str]) -> list[str]:
    return [
        _("candidat possible de %(keys)s, à départager")
        % {"keys": ", ".join(dict.fromkeys(contested_by))}
    ]
