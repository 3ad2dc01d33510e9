"""Reading coordinates as portal files write them, and refusing those that cannot be used."""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from shapely.geometry import shape
from shapely.validation import explain_validity

_LATLON_RE = re.compile(r"^\s*\(?\s*(-?\d+(?:[.,]\d+)?)\s*[,; ]\s*(-?\d+(?:[.,]\d+)?)\s*\)?\s*$")


# Translated only when a message is built: the labels are not needed for the rows that are fine.
LATITUDE = gettext_lazy("latitude")
LONGITUDE = gettext_lazy("longitude")


class CoordinateError(ValueError):
    """Why a row's position cannot be used; the message is shown with the row number."""


def parse_number(value: Any, label) -> float:
    if isinstance(value, bool):
        raise CoordinateError(
            _("%(label)s n’est pas un nombre (%(value)s)") % {"label": label, "value": value}
        )
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = "" if value is None else str(value).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise CoordinateError(_("%(label)s vide") % {"label": label})
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = float(text)
        except ValueError as exc:
            raise CoordinateError(
                _("%(label)s n’est pas un nombre (« %(value)s »)")
                % {"label": label, "value": value}
            ) from exc
    if math.isnan(number) or math.isinf(number):
        raise CoordinateError(
            _("%(label)s n’est pas un nombre (%(value)s)") % {"label": label, "value": value}
        )
    return number


def check_lat_lon(lat: float, lon: float) -> None:
    if not -90 <= lat <= 90:
        raise CoordinateError(
            _("latitude hors limites (%(lat)s, attendu entre -90 et 90)") % {"lat": lat}
        )
    if not -180 <= lon <= 180:
        raise CoordinateError(
            _("longitude hors limites (%(lon)s, attendu entre -180 et 180)") % {"lon": lon}
        )
    if lat == 0 or lon == 0:
        raise CoordinateError(
            _("coordonnées à zéro (%(lat)s, %(lon)s) : position manquante")
            % {"lat": lat, "lon": lon}
        )


def point_from_columns(properties: dict, lat_field: str, lon_field: str) -> dict:
    for name in (lat_field, lon_field):
        if name not in properties:
            raise CoordinateError(_("colonne « %(name)s » absente") % {"name": name})
    lat = parse_number(properties[lat_field], LATITUDE)
    lon = parse_number(properties[lon_field], LONGITUDE)
    check_lat_lon(lat, lon)
    return {"type": "Point", "coordinates": [lon, lat]}


def point_from_latlon(properties: dict, latlon_field: str) -> dict:
    if latlon_field not in properties:
        raise CoordinateError(_("colonne « %(name)s » absente") % {"name": latlon_field})
    raw = properties[latlon_field]
    if isinstance(raw, (list, tuple)) and len(raw) == 2:
        lat = parse_number(raw[0], LATITUDE)
        lon = parse_number(raw[1], LONGITUDE)
    else:
        text = "" if raw is None else str(raw)
        if not text.strip():
            raise CoordinateError(_("position vide"))
        match = _LATLON_RE.match(text)
        if not match:
            raise CoordinateError(
                _("position illisible « %(value)s » (attendu « latitude, longitude »)")
                % {"value": text}
            )
        lat = parse_number(match.group(1), LATITUDE)
        lon = parse_number(match.group(2), LONGITUDE)
    check_lat_lon(lat, lon)
    return {"type": "Point", "coordinates": [lon, lat]}


def checked_geojson_geometry(geometry: Any) -> dict:
    if not geometry:
        raise CoordinateError(_("objet sans géométrie"))
    if not isinstance(geometry, dict) or "type" not in geometry:
        raise CoordinateError(_("géométrie GeoJSON illisible"))
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed input
        raise CoordinateError(
            _("géométrie GeoJSON illisible (%(error)s)") % {"error": exc}
        ) from exc
    if geom.is_empty:
        raise CoordinateError(_("géométrie vide"))
    west, south, east, north = geom.bounds
    for value in (west, south, east, north):
        if math.isnan(value) or math.isinf(value):
            raise CoordinateError(_("géométrie avec des coordonnées non numériques"))
    check_lat_lon(south, west)
    check_lat_lon(north, east)
    if not geom.is_valid:
        raise CoordinateError(_("géométrie invalide : %(why)s") % {"why": explain_validity(geom)})
    return geometry
