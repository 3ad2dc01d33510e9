"""Values as OpenStreetMap writes them, and whether a new value really differs from OSM's.

Mappers expect phone numbers in the international form ("+33 4 92 31 00 00", several
separated by ";"), and the other values as people typed them, trimmed. A value that only
differs from OSM's in its spelling (the same phone number, "https://www." or not) is not a
change: rewriting it would make noise in the history without improving the map.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers

from coproduction.quality import as_text

from ..matching.values import PHONE_REGION, same_value

# The API refuses longer values.
MAX_VALUE_LENGTH = 255
# Kinds whose spelling varies without changing the value (see matching.values).
_NORMALISED_KINDS = {"phone", "url", "email"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_PHONE_SEPARATOR = re.compile(r"\s*[;,/]\s*|\s+ou\s+")


def osm_value(kind: str, value: Any) -> str:
    """The tag value for a dataset value ("" for an empty one)."""
    text = re.sub(r"\s+", " ", _CONTROL.sub(" ", as_text(value))).strip()
    if text and kind == "phone":
        return _phones(text)
    return text


def _phones(text: str) -> str:
    """Every number in the international form, or the text as written when some part is not
    a valid number (it may be a note, "n/a", an extension…)."""
    formatted = []
    for part in filter(None, _PHONE_SEPARATOR.split(text)):
        try:
            number = phonenumbers.parse(part, PHONE_REGION)
        except phonenumbers.NumberParseException:
            return text
        if not phonenumbers.is_valid_number(number):
            return text
        formatted.append(
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )
    return ";".join(formatted)


def differs(kind: str, new: str, current: str | None) -> bool:
    """Whether writing `new` over OSM's `current` value changes the map.

    Names and opening hours are compared exactly: fixing their case or punctuation is a
    real correction.
    """
    if current is None:
        return True
    if kind in _NORMALISED_KINDS:
        return not same_value(kind, new, current)
    return new != current
