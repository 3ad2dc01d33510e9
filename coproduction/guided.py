"""Guided tasks: each fixable quality problem becomes a question a beginner can answer.

Questions are data, one entry per problem code, so that adding a kind of task is adding an
entry, not writing a page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Dataset, Feature
from .quality import as_text


@dataclass(frozen=True)
class Question:
    text: str
    help: str
    input_type: str = "text"


QUESTIONS: dict[str, Question] = {
    "opening_hours_format": Question(
        _("Ces horaires sont-ils au bon format ?"),
        _(
            "Écrivez-les comme OpenStreetMap : jours en anglais abrégés (Mo Tu We Th Fr Sa Su), "
            "heures sur 24 h. Par exemple « Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00 »."
        ),
    ),
    "postcode_format": Question(
        _("Quel est le code postal de ce lieu ?"),
        _(
            "Un code postal a toujours 5 chiffres. Dans les Alpes-de-Haute-Provence, "
            "les Hautes-Alpes et les Alpes-Maritimes, il commence par 0 : 04000, 05000, 06000."
        ),
        "text",
    ),
    "siret_invalid": Question(
        _("Quel est le numéro SIRET de ce lieu ?"),
        _("14 chiffres, sur l’annuaire des entreprises (annuaire-entreprises.data.gouv.fr)."),
    ),
    "phone_invalid": Question(
        _("Quel est le numéro de téléphone de ce lieu ?"),
        _("Par exemple 04 92 83 77 19."),
        "tel",
    ),
    "url_invalid": Question(
        _("Quelle est l’adresse du site web de ce lieu ?"),
        _("Elle commence par https:// ou http://."),
        "url",
    ),
    "email_invalid": Question(
        _("Quelle est l’adresse e-mail de ce lieu ?"),
        _("Par exemple contact@exemple.fr."),
        "email",
    ),
    "insee_invalid": Question(
        _("Quel est le code INSEE de la commune ?"),
        _(
            "5 caractères, sur le Code officiel géographique de l’INSEE "
            "(04070 pour Digne-les-Bains)."
        ),
    ),
    "required_missing": Question(
        _("Pouvez-vous compléter cette information ?"),
        _("Si vous ne savez pas, passez : quelqu’un d’autre saura peut-être."),
    ),
}


@dataclass(frozen=True)
class Task:
    feature: Feature
    code: str
    field: str
    field_label: str
    field_type: str
    current: str
    suggestion: str
    question: Question
    # For a disagreement with OpenStreetMap: what OSM says, and which object says it.
    osm_value: str = ""
    osm_ref: str = ""


TaskSource = Callable[[Dataset, set, set], "Task | None"]
_extra_sources: list[TaskSource] = []


def register_task_source(source: TaskSource) -> None:
    """Other apps add kinds of questions (osm_sync: "OSM says X, the portal says Y")."""
    if source not in _extra_sources:
        _extra_sources.append(source)


def suggest(code: str, value: str) -> str:
    """A likely fix to start from, never applied without a person confirming it."""
    if code in ("postcode_format", "insee_invalid") and re.fullmatch(r"\d{4}", value):
        return value.zfill(5)
    if code == "phone_invalid":
        digits = re.sub(r"\D", "", value)
        if len(digits) == 9:
            digits = "0" + digits
        if len(digits) == 10 and digits.startswith("0"):
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    if code == "url_invalid" and value and "://" not in value and "." in value:
        return "https://" + value.strip().lstrip("/")
    return value


def next_task(
    dataset: Dataset, skipped: set[tuple[int, str]], exclude_fields: set[tuple[int, str]]
) -> Task | None:
    """The next question: quality problems first, then the other apps' questions."""
    task = next_quality_task(dataset, skipped, exclude_fields)
    for source in _extra_sources:
        if task is not None:
            break
        task = source(dataset, skipped, exclude_fields)
    return task


def next_quality_task(
    dataset: Dataset, skipped: set[tuple[int, str]], exclude_fields: set[tuple[int, str]]
) -> Task | None:
    """The next problem worth asking about, in file order, skipping what this person passed
    or already proposed."""
    profile = dataset.parsed_profile
    editable = set(dataset.columns) - set(profile.coordinate_fields)
    candidates = (
        Feature.objects.filter(dataset=dataset, is_removed=False, issue_count__gt=0)
        .order_by("row_number", "id")
        .only(
            "id", "name", "key", "properties", "quality_issues", "lat", "lon", "version", "geometry"
        )
    )
    for feature in candidates.iterator(chunk_size=200):
        for problem in feature.quality_issues:
            code, field = problem["code"], problem.get("field")
            if code not in QUESTIONS or not field or field not in editable:
                continue
            if (feature.pk, field) in skipped or (feature.pk, field) in exclude_fields:
                continue
            rule = profile.fields.get(field)
            current = as_text(feature.properties.get(field))
            return Task(
                feature=feature,
                code=code,
                field=field,
                field_label=(rule.label if rule and rule.label else field),
                field_type=rule.type if rule else "text",
                current=current,
                suggestion=suggest(code, current),
                question=QUESTIONS[code],
            )
    return None
