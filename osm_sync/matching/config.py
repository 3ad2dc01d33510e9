"""The matching settings of a dataset, read from its profile's `osm` part."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from coproduction.profiles import DatasetProfile

DEFAULT_MAX_DISTANCE_M = 200.0


class MatchConfigError(ValueError):
    """A profile whose `osm` part cannot drive a reconciliation."""


@dataclass(frozen=True)
class MatchConfig:
    max_distance_m: float = DEFAULT_MAX_DISTANCE_M
    ref_field: str | None = None
    ref_tag: str | None = None
    # Dataset field -> OSM tag.
    tag_map: dict[str, str] = field(default_factory=dict)
    name_field: str | None = None
    field_types: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_profile(cls, profile: DatasetProfile) -> MatchConfig:
        osm = profile.osm or {}
        if not osm.get("filters"):
            raise MatchConfigError(
                _(
                    "Le profil de ce jeu de données n’a pas de partie « osm » avec des filtres : "
                    "impossible de savoir quels objets OpenStreetMap comparer."
                )
            )
        try:
            max_distance = float(osm.get("max_distance_m", DEFAULT_MAX_DISTANCE_M))
        except (TypeError, ValueError) as exc:
            raise MatchConfigError(_("« osm.max_distance_m » doit être un nombre.")) from exc
        if max_distance <= 0:
            raise MatchConfigError(_("« osm.max_distance_m » doit être positif."))
        ref = osm.get("ref") or {}
        if ref and not (isinstance(ref, dict) and ref.get("field") and ref.get("tag")):
            raise MatchConfigError(
                _("« osm.ref » doit donner « field » et « tag », par ex. %(example)s.")
                % {"example": '{"field": "uai", "tag": "ref:UAI"}'}
            )
        tag_map = osm.get("tags") or {}
        if not isinstance(tag_map, dict):
            raise MatchConfigError(_("« osm.tags » doit associer des champs à des attributs OSM."))
        name_field = profile.name_field
        if name_field and name_field not in tag_map:
            tag_map = {name_field: "name", **tag_map}
        return cls(
            max_distance_m=max_distance,
            ref_field=ref.get("field"),
            ref_tag=ref.get("tag"),
            tag_map={str(k): str(v) for k, v in tag_map.items()},
            name_field=name_field,
            field_types={name: rule.type for name, rule in profile.fields.items()},
        )
