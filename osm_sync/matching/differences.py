"""Differences between a dataset feature's fields and the tags they map to in OSM."""

from __future__ import annotations

from .config import MatchConfig
from .places import DatasetPlace, OsmCandidate
from .values import same_value, value_kind


def differences(place: DatasetPlace, candidate: OsmCandidate, config: MatchConfig) -> list[dict]:
    """One entry per mapped field whose normalised values differ, or which only one side has.

    The values are reported as written on each side (None when absent): the normalised forms
    only decide whether they differ.
    """
    result = []
    for field_name, tag in config.tag_map.items():
        dataset_value = place.value(field_name)
        osm_value = (candidate.tags.get(tag) or "").strip()
        if not dataset_value and not osm_value:
            continue
        kind = value_kind(config.field_types.get(field_name), tag)
        if dataset_value and osm_value and same_value(kind, dataset_value, osm_value):
            continue
        result.append(
            {
                "field": field_name,
                "tag": tag,
                "dataset": dataset_value or None,
                "osm": osm_value or None,
            }
        )
    return result


def tag_agreement(
    place: DatasetPlace, candidate: OsmCandidate, config: MatchConfig
) -> tuple[int, int]:
    """(agreeing, compared) over the mapped fields other than the name that both sides fill."""
    agreeing = compared = 0
    for field_name, tag in config.tag_map.items():
        if field_name == config.name_field:
            continue
        dataset_value = place.value(field_name)
        osm_value = candidate.tags.get(tag)
        if not dataset_value or not osm_value:
            continue
        compared += 1
        kind = value_kind(config.field_types.get(field_name), tag)
        if same_value(kind, dataset_value, osm_value):
            agreeing += 1
    return agreeing, compared
