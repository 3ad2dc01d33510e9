"""Pass 2: by reference, when the profile maps one (e.g. the UAI of a school to `ref:UAI`).

A shared reference is stronger evidence than any position or name, so the pair is matched
whatever the distance (a far one is said in the reasons). Several OSM objects with the same
reference are told apart by score, or left ambiguous when the scores are too close.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from .reasons import pair_reasons
from .scoring import AMBIGUITY_MARGIN, PairScore, score_pair
from .state import AMBIGUOUS, MATCHED, MatchState, Outcome

# A shared reference is near certainty, whatever the names and positions say.
REFERENCE_SCORE = 0.95


def reference_values(value: str | None) -> list[str]:
    """OSM puts several values in one tag with ";"; references compare without case."""
    return [part.strip().upper() for part in (value or "").split(";") if part.strip()]


def match_by_reference(state: MatchState) -> None:
    config = state.config
    if not (config.ref_field and config.ref_tag):
        return
    index = defaultdict(list)
    for candidate in state.candidates:
        for value in reference_values(candidate.tags.get(config.ref_tag)):
            index[value].append(candidate)
    options: dict[str, list[PairScore]] = defaultdict(list)
    places = {}
    for place in state.open_places():
        for value in reference_values(place.value(config.ref_field)):
            for candidate in index.get(value, ()):
                if state.is_free(place.key, candidate.ref):
                    options[place.key].append(score_pair(place, candidate, config))
                    places[place.key] = place
    ranked = sorted(
        ((pair, key) for key, pairs in options.items() for pair in pairs),
        key=lambda item: -item[0].score,
    )
    for pair, key in ranked:
        if key in state.outcomes or pair.candidate.ref in state.used:
            continue
        others = [
            other
            for other in options[key]
            if other.candidate is not pair.candidate and other.candidate.ref not in state.used
        ]
        state.decide(_outcome(key, pair, others, places[key].value(config.ref_field), config))


def _outcome(key: str, pair: PairScore, others: list[PairScore], value: str, config) -> Outcome:
    reasons = [
        _("même référence %(tag)s = %(value)s") % {"tag": config.ref_tag, "value": value}
    ] + pair_reasons(pair)
    close = [other for other in others if pair.score - other.score < AMBIGUITY_MARGIN]
    candidates = [pair.candidate.ref] + [other.candidate.ref for other in others]
    if close:
        return Outcome(
            key=key,
            status=AMBIGUOUS,
            candidates=candidates,
            score=pair.score,
            distance_m=round(pair.distance_m, 1),
            reasons=reasons + [_("plusieurs objets OSM portent cette référence : à départager")],
        )
    if pair.distance_m > config.max_distance_m:
        reasons.append(_("position éloignée : à vérifier"))
    return Outcome(
        key=key,
        status=MATCHED,
        osm=pair.candidate.ref,
        candidates=candidates,
        score=max(pair.score, REFERENCE_SCORE),
        distance_m=round(pair.distance_m, 1),
        reasons=reasons,
    )
