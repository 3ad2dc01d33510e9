"""Parsing decoded text into records: CSV (`,` `;` or tab), GeoJSON, or a JSON list of records."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .errors import ImportFileError, RejectedRow

CSV_DELIMITERS = (";", ",", "\t")
JSON_WRAPPER_KEYS = ("features", "records", "data", "results", "items")


@dataclass
class Record:
    row: int
    properties: dict[str, Any]
    geometry: dict[str, Any] | None = None


@dataclass
class ParsedFile:
    format: str  # "csv", "geojson" or "json"
    columns: list[str]
    records: list[Record]
    delimiter: str = ""
    rejected: list[RejectedRow] = field(default_factory=list)


def parse(text: str, filename: str = "") -> ParsedFile:
    stripped = text.lstrip()
    lowered = filename.lower()
    if stripped.startswith(("{", "[")) or lowered.endswith((".json", ".geojson")):
        return parse_json(text)
    return parse_csv(text)


def detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        raise ImportFileError(
            _(
                "Format non reconnu : la première ligne ne contient ni « ; », ni « , », ni "
                "tabulation. Formats acceptés : CSV, GeoJSON, JSON."
            )
        )
    return best


def _unique_columns(header: list[str]) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(header, start=1):
        name = raw.strip() or f"colonne_{index}"
        candidate, n = name, 2
        while candidate in seen:
            candidate = f"{name} ({n})"
            n += 1
        seen.add(candidate)
        columns.append(candidate)
    return columns


def parse_csv(text: str) -> ParsedFile:
    first_line = text.split("\n", 1)[0]
    delimiter = detect_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ImportFileError(_("Impossible de lire l’en-tête du fichier CSV.")) from exc
    columns = _unique_columns(header)
    width = len(columns)
    records: list[Record] = []
    rejected: list[RejectedRow] = []
    line = reader.line_num
    last_values: list[str] | None = None
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if reader.line_num and not text.endswith(("\n", "\r")):
                raise ImportFileError(
                    _(
                        "Le fichier CSV semble tronqué : il s’arrête au milieu d’une ligne "
                        "(ligne %(line)s)."
                    )
                    % {"line": start}
                ) from exc
            raise ImportFileError(
                _("CSV illisible à la ligne %(line)s : %(error)s") % {"line": start, "error": exc}
            ) from exc
        line = reader.line_num
        if not values or all(not v.strip() for v in values):
            continue
        last_values = values
        if len(values) > width:
            rejected.append(
                RejectedRow(
                    start,
                    _(
                        "%(found)s valeurs pour %(expected)s colonnes (séparateur « %(sep)s » "
                        "dans une valeur non protégée par des guillemets ?)"
                    )
                    % {"found": len(values), "expected": width, "sep": delimiter},
                )
            )
            continue
        if len(values) < width:
            values = values + [""] * (width - len(values))
        records.append(Record(start, dict(zip(columns, values, strict=True))))
    if (
        last_values is not None
        and len(last_values) < width
        and not text.endswith(("\n", "\r"))
        and width > 1
    ):
        raise ImportFileError(
            _("Le fichier CSV semble tronqué : sa dernière ligne (%(line)s) est incomplète.")
            % {"line": records[-1].row if records else line}
        )
    if not records and not rejected:
        raise ImportFileError(_("Le fichier CSV n’a pas de ligne de données sous son en-tête."))
    return ParsedFile("csv", columns, records, delimiter, rejected)


def parse_json(text: str) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # Both mean the parser ran into the end of the text with a value still open.
        if exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string"):
            raise ImportFileError(
                _("Le fichier JSON semble tronqué : il s’arrête avant la fin (ligne %(line)s).")
                % {"line": exc.lineno}
            ) from exc
        raise ImportFileError(
            _("JSON invalide à la ligne %(line)s, colonne %(col)s : %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc

    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        return _parse_features(data.get("features"))
    if isinstance(data, dict) and data.get("type") == "Feature":
        return _parse_features([data])
    if isinstance(data, dict):
        for key in JSON_WRAPPER_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if not isinstance(data, list):
        raise ImportFileError(
            _("Ce JSON n’est ni une FeatureCollection GeoJSON ni une liste d’enregistrements.")
        )
    if data and all(isinstance(item, dict) and item.get("type") == "Feature" for item in data):
        return _parse_features(data)
    return _parse_records(data)


def _collect_columns(columns: dict[str, None], properties: dict) -> None:
    for key in properties:
        if key not in columns:
            columns[key] = None


def _parse_records(items: list) -> ParsedFile:
    columns: dict[str, None] = {}
    records: list[Record] = []
    rejected: list[RejectedRow] = []
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rejected.append(RejectedRow(index, _("cet enregistrement n’est pas un objet JSON")))
            continue
        _collect_columns(columns, item)
        records.append(Record(index, item))
    if not records and not rejected:
        raise ImportFileError(_("La liste JSON est vide : aucun enregistrement à importer."))
    return ParsedFile("json", list(columns), records, "", rejected)


def _parse_features(features: Any) -> ParsedFile:
    if not isinstance(features, list):
        raise ImportFileError(_("La FeatureCollection n’a pas de liste « features »."))
    columns: dict[str, None] = {}
    records: list[Record] = []
    rejected: list[RejectedRow] = []
    for index, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            rejected.append(RejectedRow(index, _("cet élément n’est pas une Feature GeoJSON")))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            rejected.append(RejectedRow(index, _("les « properties » ne sont pas un objet")))
            continue
        _collect_columns(columns, properties)
        records.append(Record(index, properties, feature.get("geometry")))
    if not records and not rejected:
        raise ImportFileError(_("La FeatureCollection est vide : aucun objet à importer."))
    return ParsedFile("geojson", list(columns), records, "", rejected)
