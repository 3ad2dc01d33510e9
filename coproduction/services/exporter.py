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
    return write_csv_rows(dataset, _active_features(dataset), stream, _own_properties)


def _own_properties(feature: Feature) -> dict:
    return feature.properties


def _wkt(feature: Feature) -> str:
    if feature.geometry_type == "Point":
        return ""
    from shapely.geometry import shape

    return shape(feature.geometry).wkt


def write_geojson(dataset: Dataset, stream: IO[str]) -> int:
    return write_geojson_features(dataset, _active_features(dataset), stream, _own_properties)


WRITERS = {"csv": write_csv, "geojson": write_geojson}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "geojson": "application/geo+json"}


def write_csv_rows(dataset: Dataset, features, stream: IO[str], properties_of) -> int:
    """`features` in the source file's layout, with their attributes from properties_of (a
    release may leave some values out)."""
    version = dataset.current_version
    delimiter = version.delimiter if version and version.delimiter else ","
    columns = csv_columns(dataset)
    geometry_columns = not dataset.parsed_profile.geometry_from_columns
    writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    count = 0
    for feature in features:
        values = dict(properties_of(feature))
        if geometry_columns:
            values.setdefault("latitude", feature.lat)
            values.setdefault("longitude", feature.lon)
            values.setdefault("geometry_wkt", _wkt(feature))
        writer.writerow([csv_cell(values.get(column)) for column in columns])
        count += 1
    return count


def write_geojson_features(dataset: Dataset, features, stream: IO[str], properties_of) -> int:
    """A FeatureCollection written feature by feature, so that memory stays flat."""
    columns = dataset.columns
    stream.write('{"type": "FeatureCollection", "name": ')
    stream.write(json.dumps(dataset.slug))
    stream.write(', "features": [\n')
    count = 0
    for feature in features:
        if count:
            stream.write(",\n")
        stream.write(
            json.dumps(
                {
                    "type": "Feature",
                    "geometry": feature.geometry,
                    "properties": in_source_order(properties_of(feature), columns),
                },
                ensure_ascii=False,
            )
        )
        count += 1
    stream.write("\n]}\n")
    return count
