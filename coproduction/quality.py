"""Data-quality checks run on every feature at import.

Each problem is stored as a small dict {"code", "field", "value"}; its wording is produced when it
is shown (see ISSUE_LABELS), so that the interface language can change after the import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import opening_hours
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret

from .profiles import DatasetProfile

ISSUE_LABELS = {
    "postcode_format": _("Code postal qui n’a pas 5 chiffres"),
    "opening_hours_format": _("Horaires pas au format OpenStreetMap (opening_hours)"),
    "siret_invalid": _("Numéro SIRET invalide"),
    "phone_invalid": _("Numéro de téléphone invalide"),
    "url_invalid": _("Adresse web invalide"),
    "email_invalid": _("Adresse e-mail invalide"),
    "insee_invalid": _("Code INSEE invalide"),
    "required_missing": _("Champ obligatoire vide"),
    "outside_region": _("Position hors de la région"),
    "swapped_coordinates": _("Latitude et longitude semblent inversées"),
    "encoding_damaged": _("Caractères abîmés (problème d’encodage)"),
    "duplicate_id": _("Identifiant en double dans le fichier"),
}

_POSTCODE_RE = re.compile(r"^\d{5}$")
_INSEE_RE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$")
# U+FFFD is what a bad decode leaves behind; "Ã©"-style pairs are UTF-8 read as Latin-1.
_DAMAGE_RE = re.compile("\ufffd|Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]")
_url_validator = URLValidator(schemes=["http", "https"])
_email_validator = EmailValidator()


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def issue(code: str, field: str | None = None, value: Any = None) -> dict:
    text = as_text(value)
    return {"code": code, "field": field, "value": text[:200] if text else ""}


def is_valid_postcode(text: str) -> bool:
    return bool(_POSTCODE_RE.match(text))


def is_valid_opening_hours(text: str) -> bool:
    try:
        opening_hours.OpeningHours(text)
    except Exception:  # the library raises its own ParserError and friends
        return False
    return True


def is_valid_siret(text: str) -> bool:
    return siret.is_valid(text.replace(" ", ""))


def is_valid_phone(text: str) -> bool:
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def is_valid_url(text: str) -> bool:
    try:
        _url_validator(text)
    except ValidationError:
        return False
    return True


def is_valid_email(text: str) -> bool:
    try:
        _email_validator(text)
    except ValidationError:
        return False
    return True


def is_valid_insee(text: str) -> bool:
    return bool(_INSEE_RE.match(text))


VALIDATORS = {
    "postcode": ("postcode_format", is_valid_postcode),
    "opening_hours": ("opening_hours_format", is_valid_opening_hours),
    "siret": ("siret_invalid", is_valid_siret),
    "phone": ("phone_invalid", is_valid_phone),
    "url": ("url_invalid", is_valid_url),
    "email": ("email_invalid", is_valid_email),
    "insee": ("insee_invalid", is_valid_insee),
}


def check_attributes(properties: dict, profile: DatasetProfile) -> list[dict]:
    problems: list[dict] = []
    for name, rule in profile.fields.items():
        text = as_text(properties.get(name))
        if not text:
            if rule.required:
                problems.append(issue("required_missing", name))
            continue
        validator = VALIDATORS.get(rule.type)
        if validator and not validator[1](text):
            problems.append(issue(validator[0], name, text))
    for name, value in properties.items():
        if isinstance(value, str) and _DAMAGE_RE.search(value):
            problems.append(issue("encoding_damaged", name, value))
    return problems


def _inside(lon: float, lat: float, bbox: tuple[float, ...]) -> bool:
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north


def check_position(lon: float, lat: float, region_bbox: tuple[float, ...]) -> list[dict]:
    """Outside the region is a problem; if swapping the two values lands inside, say so, but
    never swap them ourselves: a person decides."""
    if _inside(lon, lat, region_bbox):
        return []
    position = f"{lat}, {lon}"
    if -90 <= lon <= 90 and _inside(lat, lon, region_bbox):
        return [issue("swapped_coordinates", None, position)]
    return [issue("outside_region", None, position)]


def issue_codes_text(problems: Iterable[dict]) -> str:
    """code_a code_b ": padded so that a LIKE on " code " cannot match a longer code."""
    codes = sorted({p["code"] for p in problems})
    return f" {' '.join(codes)} " if codes else ""


INVALID_VALUE_MESSAGES = {
    "postcode": _("Un code postal s’écrit avec 5 chiffres, par exemple 04000."),
    "opening_hours": _(
        "Ces horaires ne suivent pas le format OpenStreetMap, par exemple "
        "« Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00 »."
    ),
    "siret": _(
        "Un SIRET a 14 chiffres, dont le dernier est une clé de contrôle : vérifiez chaque chiffre."
    ),
    "phone": _("Ce numéro de téléphone n’est pas valide. Exemple : 04 92 83 77 19."),
    "url": _("Une adresse web commence par https:// ou http://, par exemple https://exemple.fr."),
    "email": _("Cette adresse e-mail n’est pas valide. Exemple : contact@exemple.fr."),
    "insee": _("Un code INSEE a 5 caractères, par exemple 04070 ou 2A004."),
}


def validate_value(field_type: str, text: str) -> str | None:
    """None when `text` suits the field type, else the message to show the person typing."""
    validator = VALIDATORS.get(field_type)
    if validator is None or validator[1](text):
        return None
    return str(INVALID_VALUE_MESSAGES[field_type])
