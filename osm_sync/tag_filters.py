"""The `osm.filters` of dataset profiles: which OSM objects are candidates for a dataset.

A filter is a list of tag sets; a set matches when all its tags match (value "*" = any value);
the list matches when any set does. Reading an extract, osmium's C++ filters do the coarse
selection (so that Python never sees the millions of objects that cannot match) and
`TagFilterSet.matches` the exact test on the few that pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import osmium
from django.utils.translation import gettext as _

from coproduction.models import Dataset
from coproduction.profiles import DatasetProfile, shipped_profiles

ANY_VALUE = "*"

TagSet = tuple[tuple[str, str], ...]


class FilterError(ValueError):
    """A profile's `osm.filters` that cannot be used, with a message for its author."""


@dataclass(frozen=True)
class TagFilterSet:
    tag_sets: tuple[TagSet, ...]

    @classmethod
    def from_json(cls, filters: object) -> TagFilterSet:
        """Validate a profile's `osm.filters` (a list of {key: value} objects)."""
        if not isinstance(filters, list):
            raise FilterError(_("« osm.filters » doit être une liste d’ensembles d’attributs."))
        sets: list[TagSet] = []
        for entry in filters:
            if not isinstance(entry, dict) or not entry:
                raise FilterError(
                    _("Chaque filtre OSM doit être un objet non vide, par ex. %(example)s.")
                    % {"example": '{"amenity": "school"}'}
                )
            if not all(
                isinstance(k, str) and isinstance(v, str) and k and v for k, v in entry.items()
            ):
                raise FilterError(_("Les clés et valeurs d’un filtre OSM doivent être du texte."))
            tag_set = tuple(sorted(entry.items()))
            if tag_set not in sets:
                sets.append(tag_set)
        return cls(tuple(sets))

    def union(self, other: TagFilterSet) -> TagFilterSet:
        extra = tuple(s for s in other.tag_sets if s not in self.tag_sets)
        return TagFilterSet(self.tag_sets + extra)

    def to_json(self) -> list[dict[str, str]]:
        return [dict(tag_set) for tag_set in self.tag_sets]

    def __bool__(self) -> bool:
        return bool(self.tag_sets)

    def matches(self, tags: Mapping[str, str]) -> bool:
        """The exact test. `tags` may be a dict or osmium's TagList (both have `get`)."""
        for tag_set in self.tag_sets:
            for key, value in tag_set:
                actual = tags.get(key)
                if actual is None or (value != ANY_VALUE and actual != value):
                    break
            else:
                return True
        return False

    def osmium_prefilter(self) -> osmium.filter.TagFilter | osmium.filter.KeyFilter:
        """A C++ filter that lets through at least every object `matches` accepts.

        Each set is represented by one of its tags, a concrete key=value when it has one. Chained
        osmium filters combine with AND, so when some set is made only of "*" values, the whole
        filter has to fall back to a (wider) filter on keys alone.
        """
        representatives = self._representatives()
        if all(value is not None for _key, value in representatives):
            return osmium.filter.TagFilter(*representatives)
        return osmium.filter.KeyFilter(*dict.fromkeys(key for key, _value in representatives))

    def tags_filter_expressions(self) -> list[str]:
        """The same coarse selection as `osmium tags-filter` expressions, to compare with."""
        return [
            f"nwr/{key}={value}" if value is not None else f"nwr/{key}"
            for key, value in self._representatives()
        ]

    def _representatives(self) -> list[tuple[str, str | None]]:
        result: list[tuple[str, str | None]] = []
        for tag_set in self.tag_sets:
            concrete = [(k, v) for k, v in tag_set if v != ANY_VALUE]
            pair = concrete[0] if concrete else (tag_set[0][0], None)
            if pair not in result:
                result.append(pair)
        return result


def profile_filters(profile: DatasetProfile) -> TagFilterSet:
    """The filters of one profile (empty when it has no `osm` part)."""
    filters = (profile.osm or {}).get("filters")
    if filters is None:
        return TagFilterSet(())
    return TagFilterSet.from_json(filters)


def all_profile_filters(profiles: Iterable[DatasetProfile] | None = None) -> TagFilterSet:
    """The union of the filters of every dataset's profile and of the shipped profiles: one
    snapshot serves every dataset, present and to come from a shipped profile."""
    if profiles is None:
        profiles = [DatasetProfile.from_file(path) for path in shipped_profiles().values()]
        for slug, data in Dataset.objects.values_list("slug", "profile"):
            try:
                profiles.append(DatasetProfile.from_dict(data or {}))
            except ValueError as exc:
                raise FilterError(
                    _("Profil du jeu de données « %(slug)s » : %(error)s")
                    % {"slug": slug, "error": exc}
                ) from exc
    result = TagFilterSet(())
    for profile in profiles:
        result = result.union(profile_filters(profile))
    return result
