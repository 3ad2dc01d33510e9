"""Dataset profiles: how a portal file maps to features (and, later, to OpenStreetMap).

The JSON shape is a contract (see DESIGN.md). This module validates it once, so that the rest of
the code can rely on a typed object, and ships the profiles of the region's real datasets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

SHIPPED_PROFILES_DIR = Path(__file__).resolve().parent / "data" / "profiles"

# Value types that the quality checks (and, later, the guided tasks) know how to validate.
FIELD_TYPES = {"text", "postcode", "opening_hours", "siret", "phone", "url", "email", "insee"}


class ProfileError(ValueError):
    """A profile that cannot be used, with a message meant for the person who wrote it."""


@dataclass(frozen=True)
class FieldRule:
    type: str = "text"
    required: bool = False
    label: str = ""


@dataclass(frozen=True)
class DatasetProfile:
    title: str = ""
    id_fields: tuple[str, ...] = ()
    name_field: str | None = None
    commune_field: str | None = None
    lat_field: str | None = None
    lon_field: str | None = None
    latlon_field: str | None = None
    fields: dict[str, FieldRule] = field(default_factory=dict)
    licence: str = ""
    osm: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def geometry_from_columns(self) -> bool:
        return bool(self.latlon_field or (self.lat_field and self.lon_field))

    @property
    def coordinate_fields(self) -> tuple[str, ...]:
        if self.latlon_field:
            return (self.latlon_field,)
        return tuple(f for f in (self.lat_field, self.lon_field) if f)

    @classmethod
    def from_dict(cls, data: Any) -> DatasetProfile:
        if not isinstance(data, dict):
            raise ProfileError(_("Le profil doit être un objet JSON."))
        id_field = data.get("id_field")
        if id_field is None:
            id_fields: tuple[str, ...] = ()
        elif isinstance(id_field, str) and id_field:
            id_fields = (id_field,)
        elif isinstance(id_field, list) and id_field and all(isinstance(f, str) for f in id_field):
            id_fields = tuple(id_field)
        else:
            raise ProfileError(_("« id_field » doit être un nom de colonne ou une liste de noms."))

        geometry = data.get("geometry")
        lat = lon = latlon = None
        if geometry is not None:
            if not isinstance(geometry, dict):
                raise ProfileError(_("« geometry » doit être un objet."))
            if "latlon" in geometry:
                latlon = _require_str(geometry, "latlon")
            elif "lat" in geometry or "lon" in geometry:
                lat = _require_str(geometry, "lat")
                lon = _require_str(geometry, "lon")
            else:
                raise ProfileError(_("« geometry » doit donner « lat » et « lon », ou « latlon »."))

        fields: dict[str, FieldRule] = {}
        for name, rule in (data.get("fields") or {}).items():
            if not isinstance(rule, dict):
                raise ProfileError(
                    _("La règle du champ « %(name)s » doit être un objet.") % {"name": name}
                )
            kind = rule.get("type", "text")
            if kind not in FIELD_TYPES:
                raise ProfileError(
                    _("Type inconnu « %(kind)s » pour le champ « %(name)s ».")
                    % {"kind": kind, "name": name}
                )
            fields[name] = FieldRule(
                type=kind, required=bool(rule.get("required")), label=str(rule.get("label", ""))
            )

        osm = data.get("osm") or {}
        if not isinstance(osm, dict):
            raise ProfileError(_("« osm » doit être un objet."))
        name_field = data.get("name_field")
        if name_field is not None and not isinstance(name_field, str):
            raise ProfileError(_("« name_field » doit être un nom de colonne."))
        commune_field = data.get("commune_field")
        if commune_field is not None and not isinstance(commune_field, str):
            raise ProfileError(_("« commune_field » doit être un nom de colonne."))
        return cls(
            title=str(data.get("title", "")),
            id_fields=id_fields,
            name_field=name_field or None,
            commune_field=commune_field or None,
            lat_field=lat,
            lon_field=lon,
            latlon_field=latlon,
            fields=fields,
            licence=str(data.get("licence", "")),
            osm=osm,
            raw=data,
        )

    @classmethod
    def from_json(cls, text: str) -> DatasetProfile:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(
                _("Le profil n’est pas du JSON valide (ligne %(line)s) : %(msg)s")
                % {"line": exc.lineno, "msg": exc.msg}
            ) from exc
        return cls.from_dict(data)

    @classmethod
    def from_file(cls, path: str | Path) -> DatasetProfile:
        try:
            text = Path(path).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ProfileError(
                _("Impossible de lire le profil « %(path)s ».") % {"path": path}
            ) from exc
        return cls.from_json(text)


def _require_str(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ProfileError(_("« geometry.%(key)s » doit être un nom de colonne.") % {"key": key})
    return value


def shipped_profiles() -> dict[str, Path]:
    """The profiles bundled with the product, by name (file name without extension)."""
    return {p.stem: p for p in sorted(SHIPPED_PROFILES_DIR.glob("*.json"))}


def infer_profile(columns: list[str], has_geojson_geometry: bool) -> DatasetProfile:
    """A best-effort profile for a file imported without one: find the coordinate and name
    columns among the usual French and English spellings."""
    lowered = {c.lower().strip(): c for c in columns}

    def pick(*candidates: str) -> str | None:
        for candidate in candidates:
            if candidate in lowered:
                return lowered[candidate]
        return None

    data: dict[str, Any] = {}
    name = pick("nom", "name", "libelle", "libellé", "titre", "title", "raison_sociale")
    if name:
        data["name_field"] = name
    ident = pick("id", "identifiant", "uai", "code", "ref")
    if ident:
        data["id_field"] = ident
    if not has_geojson_geometry:
        lat = pick("latitude", "lat", "y", "geo_lat")
        lon = pick("longitude", "lon", "lng", "long", "x", "geo_lon")
        latlon = pick(
            "geolocalisation",
            "géolocalisation",
            "geo_point_2d",
            "coordonnees",
            "coordonnées",
            "latlon",
            "lat_lon",
            "geopoint",
        )
        if lat and lon:
            data["geometry"] = {"lat": lat, "lon": lon}
        elif latlon:
            data["geometry"] = {"latlon": latlon}
    return DatasetProfile.from_dict(data)
