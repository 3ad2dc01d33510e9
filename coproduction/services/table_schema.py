"""Mapping a dataset to a national Table Schema, and checking the result with frictionless.

A profile's "table_schema" says which bundled schema the dataset is published in and how each
schema field is filled: {"name": "mednum-1.0.2", "fields": {"nom": "nom", "adresse":
["adresse_numero", "adresse_rue"], "telephone": {"field": "contact_telephone", "transform":
"phone_e164"}, "id": "$key", "latitude": "$lat"}}.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import phonenumbers
from frictionless import Resource, Schema

from ..models import Feature
from ..quality import as_text

SCHEMAS_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"
BUNDLED_SCHEMAS = {"mednum-1.0.2": "mednum-schema-1.0.2.json"}
MAX_ERRORS_SHOWN = 500


@dataclass
class CellError:
    row: int
    field: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "value": self.value, "message": self.message}


@cache
def schema_descriptor(name: str) -> dict:
    return json.loads((SCHEMAS_DIR / BUNDLED_SCHEMAS[name]).read_text(encoding="utf-8"))


def _phone_e164(text: str) -> str:
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _date_iso(text: str) -> str:
    match = re.fullmatch(r"(\d{2})/(\d{2})/(\d{4})", text)
    return f"{match[3]}-{match[2]}-{match[1]}" if match else text


TRANSFORMS = {"phone_e164": _phone_e164, "date_iso": _date_iso}


def _value(feature: Feature, properties: dict, rule: Any) -> str:
    if isinstance(rule, list):
        return " ".join(p for p in (_value(feature, properties, r) for r in rule) if p)
    if isinstance(rule, dict):
        text = _value(feature, properties, rule["field"])
        transform = TRANSFORMS.get(rule.get("transform", ""))
        return transform(text) if transform and text else text
    if rule == "$key":
        return f"{feature.dataset.slug}-{feature.key}"[:200]
    if rule == "$lat":
        return f"{feature.lat:.6f}"
    if rule == "$lon":
        return f"{feature.lon:.6f}"
    return as_text(properties.get(rule))


def schema_rows(features, mapping: dict, properties_of) -> tuple[list[str], list[list[str]]]:
    """Rows in the schema's own column order; `properties_of(feature)` gives the attributes to
    publish (a release may leave some out)."""
    descriptor = schema_descriptor(mapping["name"])
    columns = [f["name"] for f in descriptor["fields"]]
    rules = mapping.get("fields", {})
    rows = []
    for feature in features:
        properties = properties_of(feature)
        rows.append([_value(feature, properties, rules[c]) if c in rules else "" for c in columns])
    return columns, rows


def to_csv(columns: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def validate_csv(text: str, schema_name: str) -> list[CellError]:
    """Every error frictionless finds, cell by cell (row numbers as in the file: header = 1)."""
    schema = Schema.from_descriptor(schema_descriptor(schema_name))
    report = Resource(data=text.encode("utf-8"), format="csv", schema=schema).validate(
        limit_errors=MAX_ERRORS_SHOWN
    )
    errors = []
    for task in report.tasks:
        for error in task.errors:
            errors.append(
                CellError(
                    row=getattr(error, "row_number", 0) or 0,
                    field=getattr(error, "field_name", "") or "",
                    value=str(getattr(error, "cell", "") or ""),
                    message=error.message,
                )
            )
    return errors
