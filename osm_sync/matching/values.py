"""Normalised forms of attribute values, so that a difference is a real one.

"04 92 83 77 19" and "+33 4 92 83 77 19" are the same phone number; "https://www.x.fr/" and
"x.fr" the same site. Each kind of value has its normaliser; values that cannot be parsed fall
back to the plain text form, so that they are still compared (and reported) as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import phonenumbers

PHONE_REGION = "FR"
_FRENCH_NATIONAL = re.compile(r"0[1-9]\d{8}")
_FRENCH_INTERNATIONAL = re.compile(r"(?:\+|00)33(?:\(0\))?0?[1-9]\d{8}")
# OSM allows several values in one tag, separated by ";".
MULTI_VALUE_SEPARATOR = re.compile(r"\s*;\s*")

FIELD_TYPE_KINDS = {"phone": "phone", "url": "url", "email": "email", "opening_hours": "hours"}
TAG_KINDS = {
    "phone": "phone",
    "contact:phone": "phone",
    "fax": "phone",
    "contact:fax": "phone",
    "mobile": "phone",
    "contact:mobile": "phone",
    "website": "url",
    "contact:website": "url",
    "url": "url",
    "email": "email",
    "contact:email": "email",
    "opening_hours": "hours",
}


def value_kind(field_type: str | None, tag: str) -> str:
    """How to compare a field with its tag: from the profile's field type, else the tag."""
    return FIELD_TYPE_KINDS.get(field_type or "") or TAG_KINDS.get(tag, "text")


@lru_cache(maxsize=262144)
def normalise_value(kind: str, value: str) -> frozenset[str] | str:
    """A comparable form of `value`: a set of values for multi-valued kinds (phones, sites,
    e-mails), a string otherwise."""
    value = (value or "").strip()
    if not value:
        return ""
    if kind == "phone":
        return frozenset(_phone(part) for part in _split(value, r"\s*[;,/]\s*|\s+ou\s+"))
    if kind == "url":
        return frozenset(_url(part) for part in _split(value, r"\s*;\s*|\s+"))
    if kind == "email":
        return frozenset(part.lower() for part in _split(value, r"\s*[;,]\s*"))
    if kind == "hours":
        return _hours(value)
    return _text(value)


def same_value(kind: str, left: str, right: str) -> bool:
    return normalise_value(kind, left) == normalise_value(kind, right)


def _split(value: str, pattern: str) -> list[str]:
    return [part for part in re.split(pattern, value) if part]


def _phone(value: str) -> str:
    digits = re.sub(r"[\s.()-]", "", value)
    # The common French forms, without the cost of a full parse: 0X XX XX XX XX, +33 X…
    if _FRENCH_NATIONAL.fullmatch(digits):
        return "+33" + digits[1:]
    if _FRENCH_INTERNATIONAL.fullmatch(digits):
        return "+33" + digits[-9:]
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        return re.sub(r"\D", "", value)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _url(value: str) -> str:
    url = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value.strip().lower())
    url = re.sub(r"^www\.", "", url)
    return url.rstrip("/")


def _hours(value: str) -> str:
    text = re.sub(r"\s+", " ", value.strip())
    text = re.sub(r"\s*([;,])\s*", r"\1 ", text)
    text = re.sub(r"\s*-\s*", "-", text)
    return text.rstrip("; ").lower()


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip().casefold()
