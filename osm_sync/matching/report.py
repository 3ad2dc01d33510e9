"""The reconciliation report: a GeoJSON FeatureCollection (contract in DESIGN.md).

Written one feature at a time, so that a report of a hundred thousand lines does not have to
be held in memory as one document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import IO, Any

from .state import Outcome


def report_feature(
    outcome: Outcome, geometry: dict | None, name: str, duplicates: list[str]
) -> dict[str, Any]:
    properties = {
        "id": outcome.key,
        "status": outcome.status,
        "osm": outcome.osm,
        "candidates": outcome.candidates,
        "score": outcome.score,
        "distance_m": outcome.distance_m,
        "reasons": outcome.reasons,
        "differences": outcome.differences,
        "name": name,
    }
    if duplicates:
        properties["duplicates"] = duplicates
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def write_report(
    stream: IO[str],
    features: list[dict[str, Any]] | Any,
    metadata: Mapping[str, Any],
) -> None:
    """Write the FeatureCollection; `metadata` goes in a foreign member, `reconciliation`."""
    stream.write('{"type": "FeatureCollection", "reconciliation": ')
    stream.write(json.dumps(metadata, ensure_ascii=False, default=str))
    stream.write(', "features": [\n')
    for index, feature in enumerate(features):
        if index:
            stream.write(",\n")
        stream.write(json.dumps(feature, ensure_ascii=False))
    stream.write("\n]}\n")
