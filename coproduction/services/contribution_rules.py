"""What makes a proposal acceptable to store: known attributes, values that fit their type,
a usable position. Each refusal says what was wrong, field by field."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..importing.coordinates import CoordinateError, check_lat_lon
from ..models import Contribution, Dataset, Feature
from ..quality import as_text, validate_value

MAX_COMMENT_LENGTH = 2000
MAX_VALUE_LENGTH = 1000
Kind = Contribution.Kind


class ContributionInvalid(Exception):
    """Field name → list of messages, as an API answers them."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class CleanProposal:
    kind: str
    comment: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    geometry: dict | None = None


def editable_columns(dataset: Dataset) -> list[str]:
    """Attributes a citizen may correct: every column but the coordinates, which move with
    a position proposal."""
    coordinates = set(dataset.parsed_profile.coordinate_fields)
    return [c for c in dataset.columns if c not in coordinates]


def editable_fields(dataset: Dataset) -> list[dict]:
    """The editable columns with what a form needs: label, value type, required."""
    fields = dataset.parsed_profile.fields
    specs = []
    for name in editable_columns(dataset):
        rule = fields.get(name)
        specs.append(
            {
                "name": name,
                "label": (rule.label if rule else "") or name,
                "type": rule.type if rule else "text",
                "required": bool(rule and rule.required),
            }
        )
    return specs


def clean_point(value: Any) -> dict:
    if not isinstance(value, dict) or value.get("type") != "Point":
        raise ValueError(_("La position doit être un point GeoJSON."))
    coordinates = value.get("coordinates")
    if (
        not isinstance(coordinates, (list, tuple))
        or len(coordinates) != 2
        or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coordinates)
        or not all(math.isfinite(c) for c in coordinates)
    ):
        raise ValueError(_("La position doit donner deux nombres : longitude, latitude."))
    lon, lat = float(coordinates[0]), float(coordinates[1])
    try:
        check_lat_lon(lat, lon)
    except CoordinateError as exc:
        raise ValueError(str(exc)) from exc
    return {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}


def _clean_value(dataset: Dataset, name: str, value: Any, current: Any) -> Any:
    is_scalar = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    if value is not None and not is_scalar:
        raise ValueError(_("La valeur doit être un texte ou un nombre."))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(_("La valeur doit être un texte ou un nombre."))
    text = as_text(value)
    if len(text) > MAX_VALUE_LENGTH:
        raise ValueError(_("%(count)s caractères au plus.") % {"count": MAX_VALUE_LENGTH})
    rule = dataset.parsed_profile.fields.get(name)
    if not text:
        if rule and rule.required:
            raise ValueError(_("Ce champ est obligatoire."))
        return "" if not isinstance(current, (int, float)) else None
    if rule:
        message = validate_value(rule.type, text)
        if message:
            raise ValueError(message)
    if rule and rule.type != "text":
        # Codes (postcode, INSEE, SIRET, phone…) are text even where the portal published them
        # as numbers: that is how 04000 became 4000.
        return text
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        # The portal publishes this attribute as a number: keep the type, refuse text.
        try:
            number = float(text.replace(",", "."))
        except ValueError as exc:
            raise ValueError(_("Cette information doit être un nombre.")) from exc
        if not math.isfinite(number):
            raise ValueError(_("Cette information doit être un nombre."))
        return int(number) if isinstance(current, int) and number.is_integer() else number
    return text


def _clean_changes(dataset: Dataset, feature: Feature | None, changes: Any) -> dict:
    if not isinstance(changes, dict):
        raise ContributionInvalid({"changes": [_("Les valeurs proposées doivent être un objet.")]})
    allowed = set(editable_columns(dataset))
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    current = feature.properties if feature else {}
    for name, value in changes.items():
        if name not in allowed:
            errors.setdefault("changes", []).append(
                _("Attribut inconnu dans ce jeu de données : « %(name)s ».") % {"name": name}
            )
            continue
        try:
            cleaned[name] = _clean_value(dataset, name, value, current.get(name))
        except ValueError as exc:
            errors.setdefault(f"changes.{name}", []).append(str(exc))
    if errors:
        raise ContributionInvalid(errors)
    if feature is not None:
        cleaned = {k: v for k, v in cleaned.items() if as_text(v) != as_text(current.get(k))}
        if not cleaned:
            raise ContributionInvalid(
                {"changes": [_("Les valeurs proposées sont déjà celles du jeu de données.")]}
            )
    return cleaned


def clean_proposal(
    dataset: Dataset,
    feature: Feature | None,
    kind: str,
    comment: Any = "",
    changes: Any = None,
    geometry: Any = None,
) -> CleanProposal:
    if kind not in Kind.values:
        raise ContributionInvalid({"kind": [_("Type de proposition inconnu.")]})
    if feature is not None and feature.dataset_id != dataset.pk:
        raise ContributionInvalid({"feature": [_("Ce lieu n’appartient pas à ce jeu de données.")]})
    if kind == Kind.ADD and feature is not None:
        raise ContributionInvalid(
            {"feature": [_("Un lieu manquant ne doit pas désigner un lieu existant.")]}
        )
    if kind != Kind.ADD and feature is None:
        raise ContributionInvalid({"feature": [_("Choisissez le lieu concerné.")]})
    if feature is not None and feature.is_removed:
        raise ContributionInvalid({"feature": [_("Ce lieu n’est plus dans le jeu de données.")]})
    text = "" if comment is None else str(comment).strip()
    if len(text) > MAX_COMMENT_LENGTH:
        raise ContributionInvalid(
            {"comment": [_("%(count)s caractères au plus.") % {"count": MAX_COMMENT_LENGTH}]}
        )
    proposal = CleanProposal(kind=kind, comment=text)
    if kind == Kind.COMMENT and not text:
        raise ContributionInvalid({"comment": [_("Écrivez votre commentaire.")]})
    if kind in (Kind.ATTRIBUTES, Kind.ADD):
        if kind == Kind.ATTRIBUTES and not changes:
            raise ContributionInvalid({"changes": [_("Indiquez au moins une correction.")]})
        proposal.changes = _clean_changes(dataset, feature, changes or {})
        name_field = dataset.parsed_profile.name_field
        if kind == Kind.ADD and name_field and not as_text(proposal.changes.get(name_field)):
            raise ContributionInvalid({f"changes.{name_field}": [_("Donnez le nom du lieu.")]})
    if kind in (Kind.MOVE, Kind.ADD):
        if geometry is None:
            raise ContributionInvalid({"geometry": [_("Indiquez la position du lieu.")]})
        try:
            proposal.geometry = clean_point(geometry)
        except ValueError as exc:
            raise ContributionInvalid({"geometry": [str(exc)]}) from exc
        if feature is not None and feature.geometry == proposal.geometry:
            raise ContributionInvalid({"geometry": [_("Le lieu est déjà à cette position.")]})
    return proposal


VALUE_SOURCES = {"osm"}


def clean_value_sources(sources: Any, changes: dict) -> dict:
    """Which proposed values were copied from elsewhere (today: OpenStreetMap), so that their
    licence follows them into releases."""
    if not sources:
        return {}
    if not isinstance(sources, dict) or not all(
        name in changes and origin in VALUE_SOURCES for name, origin in sources.items()
    ):
        raise ContributionInvalid(
            {"value_sources": [_("Origine de valeur inconnue ou sans valeur proposée.")]}
        )
    return dict(sources)
