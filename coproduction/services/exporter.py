"""Writing the current state of a dataset in the layout its portal file had."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from ..attributes import in_source_order
from ..models import Dataset, Feature

EXPORT_FORMATS = ("csv", "geojson")


def _active_features(dataset: Dataset) -> Iterator[Feature]:
    return (
        Feature.objects.filter(dataset=dataset, is_removed=False)
        .order_by("row_number", "id")
        .only("properties", "geometry", "lon", "lat", "geometry_type")
        .iterator(chunk_size=2000)
    )


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def csv_columns(dataset: Dataset) -> list[str]:
    """The source file's columns, in its order; a GeoJSON source gets point columns (and WKT
    for lines and polygons) since a CSV has no geometry of its own."""
    columns = list(dataset.columns)
    profile = dataset.parsed_profile
    if not profile.geometry_from_columns:
        for extra in ("latitude", "longitude", "geometry_wkt"):
            if extra not in columns:
                columns.append(extra)
    return columns


def write_csv(dataset: Dataset, stream: IO[str]) -> int:
    version = dataset.current_version
    delimiter = version.delimiter if version and version.delimiter else ","
    columns = csv_columns(dataset)
    geometry_columns = not dataset.parsed_profile.geometry_from_columns
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for feature in _active_features(dataset):
        values = dict(feature.properties)
        if geometry_columns:
            values.setdefault("latitude", feature.lat)
            values.setdefault("longitude", feature.lon)
            values.setdefault("geometry_wkt", _wkt(feature))
        writer.writerow([csv_cell(values.get(column)) for column in columns])
        count += 1
    return count


def _wkt(feature: Feature) -> str:
    if feature.geometry_type == "Point":
        return ""
    from shapely.geometry import shape

    return shape(feature.geometry).wkt


def write_geojson(dataset: Dataset, stream: IO[str]) -> int:
    """A FeatureCollection written feature by feature, so that memory stays flat."""
    stream.write('{"type": "FeatureCollection", "name": ')
    stream.write(json.dumps(dataset.slug))
    stream.write(', "features": [\n')
    columns = dataset.columns
    count = 0
    for feature in _active_features(dataset):
        if count:
            stream.write(",\n")
        stream.write(
            json.dumps(
                {
                    "type": "Feature",
                    "geometry": feature.geometry,
                    "properties": in_source_order(feature.properties, columns),
                },
                ensure_ascii=False,
            )
        )
        count += 1
    stream.write("\n]}\n")
    return count


WRITERS = {"csv": write_csv, "geojson": write_geojson}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}
