"""Pass 3: every free OSM object within the profile's `max_distance_m` of a feature, scored.

Finding the pairs within reach is vectorised (grid.near_pairs, then distances on arrays);
only those pairs are scored in Python. All pairs within reach are kept, acceptable or not, so
that the leftovers pass can say why a feature found no match.
"""

from __future__ import annotations

import numpy as np

from .distance import bbox_distance_arrays, distances_to_shapes, projected_shapes
from .grid import near_pairs
from .scoring import PairScore, score_pair
from .state import MatchState


def score_candidates(state: MatchState) -> dict[str, list[PairScore]]:
    """Feature key -> its pairs within reach, best first."""
    config = state.config
    free = [candidate for candidate in state.candidates if candidate.ref not in state.used]
    places = state.open_places()
    if not free or not places:
        return {}
    place_index, candidate_index, distances = pairs_within(
        np.array([place.lon for place in places]),
        np.array([place.lat for place in places]),
        free,
        config.max_distance_m,
    )
    scored: dict[str, list[PairScore]] = {}
    for i, j, distance in zip(
        place_index.tolist(), candidate_index.tolist(), distances.tolist(), strict=True
    ):
        place, candidate = places[i], free[j]
        if (place.key, candidate.ref) in state.rejected_pairs:
            continue
        scored.setdefault(place.key, []).append(score_pair(place, candidate, config, distance))
    for pairs in scored.values():
        pairs.sort(key=lambda pair: (-pair.score, pair.distance_m, pair.candidate.ref))
    return scored


def pairs_within(
    lons: np.ndarray, lats: np.ndarray, candidates: list, max_distance_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(place index, candidate index, distance in metres) of the pairs within reach."""
    boxes = np.array([candidate.bbox for candidate in candidates], dtype=float)
    place_index, candidate_index = near_pairs(lons, lats, boxes, max_distance_m)
    distances = bbox_distance_arrays(lons[place_index], lats[place_index], boxes[candidate_index])
    keep = distances <= max_distance_m
    place_index, candidate_index, distances = (
        place_index[keep],
        candidate_index[keep],
        distances[keep],
    )
    # Lines and polygons: the box distance is only a lower bound; measure the geometry.
    shaped = np.array([not candidate.is_point for candidate in candidates])
    pairs_to_shapes = np.flatnonzero(shaped[candidate_index])
    if len(pairs_to_shapes):
        shaped_ids = np.unique(candidate_index[pairs_to_shapes])
        ref_lats = np.array([candidates[j].lat for j in shaped_ids])
        shapes = projected_shapes([candidates[j].geometry for j in shaped_ids], ref_lats)
        slot = np.searchsorted(shaped_ids, candidate_index[pairs_to_shapes])
        distances[pairs_to_shapes] = distances_to_shapes(
            lons[place_index[pairs_to_shapes]],
            lats[place_index[pairs_to_shapes]],
            shapes[slot],
            ref_lats[slot],
        )
        keep = distances <= max_distance_m
        place_index, candidate_index, distances = (
            place_index[keep],
            candidate_index[keep],
            distances[keep],
        )
    return place_index, candidate_index, distances
