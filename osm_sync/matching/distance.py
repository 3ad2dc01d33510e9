"""Distances in metres between features and OSM geometries.

A local equirectangular approximation: x = R·cos(φ₀)·λ, y = R·φ, with φ₀ the latitude of the
place being compared. Over the few hundred metres that matching looks at, it stays within
0.1 % of the geodesic distance (tested against pyproj), and it is far cheaper than a
projection of every geometry to Lambert-93.
"""

from __future__ import annotations

import math

from shapely import Point
from shapely.geometry import shape
from shapely.ops import transform

EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Distance between two nearby points, scaled at their mean latitude."""
    scale = math.cos(math.radians((lat1 + lat2) / 2))
    dx = (lon2 - lon1) * scale
    dy = lat2 - lat1
    return METRES_PER_DEGREE * math.hypot(dx, dy)


def project(lon: float, lat: float, ref_lat: float) -> tuple[float, float]:
    return (
        METRES_PER_DEGREE * math.cos(math.radians(ref_lat)) * lon,
        METRES_PER_DEGREE * lat,
    )


def projected_shape(geometry: dict, ref_lat: float):
    """A shapely geometry in the metric frame of latitude `ref_lat`."""
    x_scale = METRES_PER_DEGREE * math.cos(math.radians(ref_lat))

    def scale(x, y, z=None):
        return (x * x_scale, y * METRES_PER_DEGREE)

    return transform(scale, shape(geometry))


def distance_to_shape_m(lon: float, lat: float, shape_in_metres, ref_lat: float) -> float:
    """Distance from a point to a geometry projected with `projected_shape(…, ref_lat)`:
    zero inside a polygon."""
    return shape_in_metres.distance(Point(project(lon, lat, ref_lat)))


def bbox_distance_m(lon: float, lat: float, bbox: tuple[float, float, float, float]) -> float:
    """A lower bound of the distance to anything inside `bbox`, to skip exact computations."""
    west, south, east, north = bbox
    nearest_lon = min(max(lon, west), east)
    nearest_lat = min(max(lat, south), north)
    return metres_between(lon, lat, nearest_lon, nearest_lat)
