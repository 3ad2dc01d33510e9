"""How well an OSM object fits a feature: distance, name, mapped tags, as one score.

The name weighs most when both sides have one: two schools 30 m apart are told apart by their
names, not their positions. Without a name on either side, only a very close object can reach
the acceptance threshold. Disagreeing mapped tags (phone, website…) lower the score.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import MatchConfig
from .differences import tag_agreement
from .distance import distance_to_geometry_m
from .names import best_name_similarity
from .places import DatasetPlace, OsmCandidate

NAME_WEIGHT = 0.7
# Below this similarity, names are taken as unrelated (score 0 for the name part).
NAME_FLOOR = 0.5
# Without a name to compare, position alone is worth at most this much.
POSITION_ONLY_WEIGHT = 0.6
TAG_WEIGHT = 0.15
MIN_SCORE = 0.5
# Names this dissimilar veto a match, however close the objects are.
NAME_VETO = 0.55
# Two candidates whose scores differ by less than this are too close to call.
AMBIGUITY_MARGIN = 0.1


@dataclass(slots=True)
class PairScore:
    candidate: OsmCandidate
    score: float
    distance_m: float
    name_similarity: float | None
    tags_agreeing: int
    tags_compared: int

    @property
    def acceptable(self) -> bool:
        if self.name_similarity is not None and self.name_similarity < NAME_VETO:
            return False
        return self.score >= MIN_SCORE


def distance_m(place: DatasetPlace, candidate: OsmCandidate) -> float:
    return distance_to_geometry_m(place.lon, place.lat, candidate.geometry, candidate.lat)


def score_pair(
    place: DatasetPlace,
    candidate: OsmCandidate,
    config: MatchConfig,
    distance: float | None = None,
) -> PairScore:
    if distance is None:
        distance = distance_m(place, candidate)
    closeness = max(0.0, 1.0 - distance / config.max_distance_m)
    similarity = best_name_similarity(place.normalised_name, candidate.normalised_names)
    if similarity is None:
        score = POSITION_ONLY_WEIGHT * closeness
    else:
        name_part = max(0.0, (similarity - NAME_FLOOR) / (1.0 - NAME_FLOOR))
        score = NAME_WEIGHT * name_part + (1.0 - NAME_WEIGHT) * closeness
    agreeing, compared = tag_agreement(place, candidate, config)
    if compared:
        score = (1.0 - TAG_WEIGHT) * score + TAG_WEIGHT * agreeing / compared
    return PairScore(candidate, round(score, 4), distance, similarity, agreeing, compared)
