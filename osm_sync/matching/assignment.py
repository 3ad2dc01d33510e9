"""Pass 4: one OSM object for at most one feature, and no guess when it is too close to call.

Pairs are taken greedily, best score first, a feature and an OSM object once each. Before a
feature takes its best free candidate, its next best free one is looked at: when the two are
within AMBIGUITY_MARGIN, the feature is `ambiguous` and a person chooses (a decision the next
run keeps). Greedy is not an optimal assignment in general, but with scores dominated by names
and a margin that refuses close calls, the pairs it would get wrong are the ambiguous ones.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .reasons import pair_reasons
from .scoring import AMBIGUITY_MARGIN, PairScore
from .state import AMBIGUOUS, MATCHED, MatchState, Outcome


def assign_one_to_one(state: MatchState, scored: dict[str, list[PairScore]]) -> None:
    ranked = sorted(
        ((pair, key) for key, pairs in scored.items() for pair in pairs if pair.acceptable),
        key=lambda item: (-item[0].score, item[1], item[0].candidate.ref),
    )
    for pair, key in ranked:
        if key in state.outcomes or pair.candidate.ref in state.used:
            continue
        alternatives = [
            other
            for other in scored[key]
            if other.acceptable and other is not pair and other.candidate.ref not in state.used
        ]
        close = [other for other in alternatives if pair.score - other.score < AMBIGUITY_MARGIN]
        if close:
            state.decide(_ambiguous(key, pair, close))
            for other in [pair, *close]:
                state.contested[other.candidate.ref].append(key)
            continue
        state.decide(
            Outcome(
                key=key,
                status=MATCHED,
                osm=pair.candidate.ref,
                candidates=[pair.candidate.ref] + [other.candidate.ref for other in alternatives],
                score=pair.score,
                distance_m=round(pair.distance_m, 1),
                reasons=pair_reasons(pair),
            )
        )


def _ambiguous(key: str, best: PairScore, close: list[PairScore]) -> Outcome:
    listed = ", ".join(
        f"{pair.candidate.ref} ({pair.score:.2f})".replace(".", ",") for pair in [best, *close]
    )
    return Outcome(
        key=key,
        status=AMBIGUOUS,
        candidates=[best.candidate.ref] + [pair.candidate.ref for pair in close],
        score=best.score,
        distance_m=round(best.distance_m, 1),
        reasons=[_("candidats trop proches pour trancher : %(list)s") % {"list": listed}]
        + pair_reasons(best),
    )
