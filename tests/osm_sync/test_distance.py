"""Distances in metres, against pyproj's geodesic on real places, and the grid search against a
brute-force one."""

import random

import numpy as np
import pytest
from pyproj import Geod

from osm_sync.matching.distance import distance_to_geometry_m, metres_between
from osm_sync.matching.grid import near_pairs

GEOD = Geod(ellps="WGS84")
# (lon, lat, lon, lat): Monaco, Marseille, Gap, Briançon, Liechtenstein.
PAIRS = [
    (7.4271698, 43.7428901, 7.4217435, 43.732855),  # two Monaco schools, ~1.2 km
    (5.3698, 43.2965, 5.3712, 43.2971),  # Marseille, ~130 m
    (6.0794, 44.5594, 6.0790, 44.5610),  # Gap, ~180 m
    (6.6436, 44.8986, 6.6440, 44.8986),  # Briançon, ~30 m east-west
    (9.526732, 47.2139009, 9.5150057, 47.1487977),  # Liechtenstein, ~7 km
]


@pytest.mark.parametrize("pair", PAIRS)
def test_the_local_approximation_stays_within_a_tenth_of_a_percent_of_the_geodesic(pair):
    lon1, lat1, lon2, lat2 = pair
    _az1, _az2, geodesic = GEOD.inv(lon1, lat1, lon2, lat2)
    assert metres_between(lon1, lat1, lon2, lat2) == pytest.approx(geodesic, rel=1e-3)


def test_distance_to_a_polygon_is_zero_inside_and_to_its_edge_outside():
    square = {
        "type": "Polygon",
        "coordinates": [
            [[7.42, 43.73], [7.43, 43.73], [7.43, 43.74], [7.42, 43.74], [7.42, 43.73]]
        ],
    }
    assert distance_to_geometry_m(7.425, 43.735, square, 43.735) == 0
    outside = distance_to_geometry_m(7.425, 43.7409, square, 43.735)
    _a, _b, geodesic = GEOD.inv(7.425, 43.7409, 7.425, 43.74)
    assert outside == pytest.approx(geodesic, rel=1e-3)


def test_the_grid_finds_exactly_what_a_brute_force_search_finds():
    rng = random.Random(4)
    points = np.array([(rng.uniform(7.40, 7.45), rng.uniform(43.72, 43.76)) for _ in range(300)])
    boxes = []
    for _ in range(400):
        lon, lat = rng.uniform(7.40, 7.45), rng.uniform(43.72, 43.76)
        size = rng.choice([0, 0, 0.0005, 0.004])  # points, small and large polygons
        boxes.append((lon, lat, lon + size, lat + size))
    boxes = np.array(boxes)
    found_points, found_boxes = near_pairs(points[:, 0], points[:, 1], boxes, 200)
    found = set(zip(found_points.tolist(), found_boxes.tolist(), strict=True))
    for i, (lon, lat) in enumerate(points):
        for j, (west, south, east, north) in enumerate(boxes):
            nearest = (min(max(lon, west), east), min(max(lat, south), north))
            if metres_between(lon, lat, *nearest) <= 200:
                assert (i, j) in found
    assert len(found) == len(found_points)  # each pair once
