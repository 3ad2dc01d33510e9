"""GeoJSON geometries of OSM objects, and the plain columns stored beside them.

A point on the object (the point itself, a point halfway along a line, a point inside a
polygon) and its bounding box are kept as indexed columns, as for dataset features, so that
area queries need no spatial database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely.geometry import LineString, Polygon, mapping, shape

Coordinates = Sequence[tuple[float, float]]


@dataclass(frozen=True, slots=True)
class GeometryColumns:
    geometry: dict
    geometry_type: str
    lon: float
    lat: float
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def as_fields(self) -> dict:
        return {
            "geometry": self.geometry,
            "geometry_type": self.geometry_type,
            "lon": self.lon,
            "lat": self.lat,
            "min_lon": self.min_lon,
            "min_lat": self.min_lat,
            "max_lon": self.max_lon,
            "max_lat": self.max_lat,
        }


def point_geometry(lon: float, lat: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def way_geometry(coords: Coordinates, closed: bool) -> dict | None:
    """A closed way is an area (a school's grounds, a building); any other way is a line.

    Returns None when too few nodes have a known location to draw anything.
    """
    points = [[lon, lat] for lon, lat in coords]
    if closed and len(points) >= 4 and points[0] == points[-1]:
        return {"type": "Polygon", "coordinates": [points]}
    if closed and len(points) >= 3:
        # Some of the nodes are outside the extract: close what is left.
        return {"type": "Polygon", "coordinates": [points + [points[0]]]}
    if len(points) >= 2:
        return {"type": "LineString", "coordinates": points}
    return None


def multipolygon_geometry(
    outer_ways: list[Coordinates], inner_ways: list[Coordinates]
) -> dict | None:
    """The area of a multipolygon relation, from the lines of its member ways.

    Member ways are joined end to end into rings (a ring may be split over several ways);
    inner rings are cut out of the outer ones. Returns None when no ring closes (members
    missing from the extract).
    """
    outer = _polygons(outer_ways)
    if outer.is_empty:
        return None
    inner = _polygons(inner_ways)
    area = outer.difference(inner) if not inner.is_empty else outer
    if area.is_empty:
        return None
    return mapping(shapely.normalize(area))


def _polygons(ways: list[Coordinates]):
    lines = [LineString(way) for way in ways if len(way) >= 2]
    if not lines:
        return Polygon()
    return shapely.unary_union(list(shapely.polygonize(lines).geoms))


def columns_for(geometry: dict) -> GeometryColumns:
    """The representative point and bounding box of a GeoJSON geometry."""
    kind = geometry["type"]
    if kind == "Point":
        lon, lat = geometry["coordinates"]
        return GeometryColumns(geometry, kind, lon, lat, lon, lat, lon, lat)
    geom = shape(geometry)
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.is_empty:
        # A degenerate ring (all nodes at one place): its box still says where it is.
        lon, lat = (min_lon + max_lon) / 2, (min_lat + max_lat) / 2
    else:
        point = (
            geom.interpolate(0.5, normalized=True)
            if kind == "LineString"
            else (geom.point_on_surface())
        )
        lon, lat = point.x, point.y
    return GeometryColumns(geometry, kind, lon, lat, min_lon, min_lat, max_lon, max_lat)
