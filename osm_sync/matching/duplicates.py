"""Pass 1: places that the dataset lists twice.

Two rows are probable duplicates when they share the profile's reference (a UAI, say), or
when their normalised names are equal and they stand within a few metres of each other. They
are reported, and the later passes know of them: only one of them can match the OSM object.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from .distance import metres_between
from .places import DatasetPlace
from .state import MatchState

DUPLICATE_DISTANCE_M = 30.0


def find_duplicates(
    places: list[DatasetPlace], ref_field: str | None, distance_m: float = DUPLICATE_DISTANCE_M
) -> list[dict]:
    """Groups of probable duplicates: [{"keys": [...], "reason": "ref" | "name"}]."""
    groups: list[dict] = []
    if ref_field:
        by_ref: dict[str, list[str]] = defaultdict(list)
        for place in places:
            value = place.value(ref_field).upper()
            if value:
                by_ref[value].append(place.key)
        groups += [
            {"keys": keys, "reason": "ref", "value": value}
            for value, keys in by_ref.items()
            if len(keys) > 1
        ]
    by_name: dict[str, list[DatasetPlace]] = defaultdict(list)
    for place in places:
        if place.normalised_name:
            by_name[place.normalised_name].append(place)
    for name, same_name in by_name.items():
        for cluster in _clusters(same_name, distance_m):
            groups.append({"keys": cluster, "reason": "name", "value": name})
    return groups


def _clusters(places: list[DatasetPlace], distance_m: float) -> list[list[str]]:
    """Sets of places linked by being within `distance_m` of each other (single linkage)."""
    if len(places) < 2:
        return []
    parent = list(range(len(places)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ordered = sorted(range(len(places)), key=lambda i: places[i].lat)
    max_dlat = distance_m / 111_000
    for position, i in enumerate(ordered):
        for j in ordered[position + 1 :]:
            if places[j].lat - places[i].lat > max_dlat:
                break
            a, b = places[i], places[j]
            if metres_between(a.lon, a.lat, b.lon, b.lat) <= distance_m:
                parent[root(i)] = root(j)
    clusters: dict[int, list[str]] = defaultdict(list)
    for i, place in enumerate(places):
        clusters[root(i)].append(place.key)
    return [keys for keys in clusters.values() if len(keys) > 1]


def mark_duplicates(state: MatchState) -> list[dict]:
    groups = find_duplicates(state.places, state.config.ref_field)
    for group in groups:
        for key in group["keys"]:
            others = [other for other in group["keys"] if other != key]
            known = state.duplicates.setdefault(key, [])
            known += [other for other in others if other not in known]
            if group["reason"] == "ref":
                text = _("doublon probable de %(keys)s (même référence %(value)s)")
            else:
                text = _("doublon probable de %(keys)s (même nom, à moins de %(distance)s m)")
            state.notes[key].append(
                text
                % {
                    "keys": ", ".join(others),
                    "value": group["value"],
                    "distance": round(DUPLICATE_DISTANCE_M),
                }
            )
    return groups
