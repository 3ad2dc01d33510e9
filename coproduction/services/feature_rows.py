"""From a parsed record to the values a Feature row stores: identity, geometry, quality."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from shapely.geometry import shape

from ..importing.coordinates import (
    CoordinateError,
    checked_geojson_geometry,
    point_from_columns,
    point_from_latlon,
)
from ..importing.errors import RejectedRow
from ..importing.parsers import Record
from ..profiles import DatasetProfile
from ..quality import as_text, check_attributes, check_position, issue, issue_codes_text

MAX_KEY_LENGTH = 255
MAX_NAME_LENGTH = 300


@dataclass
class FeatureRow:
    row: int
    key: str
    name: str
    properties: dict
    geometry: dict
    geometry_type: str
    lon: float
    lat: float
    bounds: tuple[float, float, float, float]
    quality_issues: list[dict]
    search_text: str
    content_hash: str


_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def normalise_search(text: str) -> str:
    """Lower case without accents, so that "medIathèque" finds "Médiathèque"."""
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()


def _content_hash(properties: dict, geometry: dict) -> str:
    payload = json.dumps([properties, geometry], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.md5(payload.encode("utf-8"), usedforsecurity=False).hexdigest()


def _bounded_key(key: str) -> str:
    if len(key) <= MAX_KEY_LENGTH:
        return key
    digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
    return f"{key[: MAX_KEY_LENGTH - 17]}~{digest}"


def _geometry(record: Record, profile: DatasetProfile) -> dict:
    if profile.latlon_field:
        return point_from_latlon(record.properties, profile.latlon_field)
    if profile.lat_field and profile.lon_field:
        return point_from_columns(record.properties, profile.lat_field, profile.lon_field)
    return checked_geojson_geometry(record.geometry)


def _placement(geometry: dict) -> tuple[str, float, float, tuple[float, float, float, float]]:
    if geometry["type"] == "Point":
        lon, lat = float(geometry["coordinates"][0]), float(geometry["coordinates"][1])
        return "Point", lon, lat, (lon, lat, lon, lat)
    geom = shape(geometry)
    point = geom.representative_point()
    return geometry["type"], point.x, point.y, geom.bounds


def build_rows(
    records: list[Record], profile: DatasetProfile, region_bbox: tuple[float, ...]
) -> tuple[list[FeatureRow], list[RejectedRow]]:
    rows: list[FeatureRow] = []
    rejected: list[RejectedRow] = []
    for record in records:
        try:
            geometry = _geometry(record, profile)
        except CoordinateError as exc:
            rejected.append(RejectedRow(record.row, str(exc)))
            continue
        geometry_type, lon, lat, bounds = _placement(geometry)
        properties = record.properties
        problems = check_attributes(properties, profile)
        problems.extend(check_position(lon, lat, region_bbox))
        if profile.id_fields:
            key = "|".join(as_text(properties.get(f)) for f in profile.id_fields)
            if not key.strip("|"):
                problems.append(issue("required_missing", profile.id_fields[0]))
                key = f"ligne-{record.row}"
        else:
            key = f"ligne-{record.row}"
        name = as_text(properties.get(profile.name_field)) if profile.name_field else ""
        searchable = " ".join(as_text(v) for v in properties.values() if v not in (None, ""))
        rows.append(
            FeatureRow(
                row=record.row,
                key=_bounded_key(key),
                name=name[:MAX_NAME_LENGTH],
                properties=properties,
                geometry=geometry,
                geometry_type=geometry_type,
                lon=lon,
                lat=lat,
                bounds=bounds,
                quality_issues=problems,
                search_text=normalise_search(searchable),
                content_hash=_content_hash(properties, geometry),
            )
        )
    _disambiguate_duplicates(rows, profile)
    return rows, rejected


def _disambiguate_duplicates(rows: list[FeatureRow], profile: DatasetProfile) -> None:
    """Rows sharing an identifier all keep their data: each occurrence after the first gets a
    suffix (stable as long as the file keeps its order), and all are flagged."""
    counts = Counter(row.key for row in rows)
    seen: Counter[str] = Counter()
    field = profile.id_fields[0] if profile.id_fields else None
    for row in rows:
        if counts[row.key] < 2:
            continue
        seen[row.key] += 1
        original = row.key
        if seen[original] > 1:
            row.key = _bounded_key(f"{original}#{seen[original]}")
        row.quality_issues.append(issue("duplicate_id", field, original))


def refresh_derived(feature, profile: DatasetProfile, region_bbox: tuple[float, ...]) -> None:
    """Recompute what a feature stores besides its attributes, after they changed."""
    geometry_type, lon, lat, bounds = _placement(feature.geometry)
    feature.geometry_type = geometry_type
    feature.lon, feature.lat = lon, lat
    feature.min_lon, feature.min_lat, feature.max_lon, feature.max_lat = bounds
    properties = feature.properties
    feature.name = (
        as_text(properties.get(profile.name_field))[:MAX_NAME_LENGTH] if profile.name_field else ""
    )
    duplicates = [p for p in feature.quality_issues if p["code"] == "duplicate_id"]
    problems = check_attributes(properties, profile) + check_position(lon, lat, region_bbox)
    feature.quality_issues = problems + duplicates
    feature.issue_count = len(feature.quality_issues)
    feature.issue_codes = issue_codes_text(feature.quality_issues)
    feature.search_text = normalise_search(
        " ".join(as_text(v) for v in properties.values() if v not in (None, ""))
    )
    feature.content_hash = _content_hash(properties, feature.geometry)
