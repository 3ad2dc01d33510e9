"""Disagreements between the portal and OpenStreetMap, asked as guided questions."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduction.guided import Question, Task
from coproduction.models import Dataset, Feature
from coproduction.quality import as_text

from .models import Reconciliation
from .models.reconciliation import MatchStatus


def osm_difference_task(
    dataset: Dataset, skipped: set[tuple[int, str]], exclude: set[tuple[int, str]]
) -> Task | None:
    run = Reconciliation.objects.filter(dataset=dataset).order_by("-created_at", "-pk").first()
    if run is None:
        return None
    profile = dataset.parsed_profile
    editable = set(dataset.columns) - set(profile.coordinate_fields)
    matches = run.matches.filter(status=MatchStatus.MATCHED).exclude(differences=[]).order_by("pk")
    for match in matches.iterator(chunk_size=200):
        feature = Feature.objects.filter(
            dataset=dataset, key=match.feature_key, is_removed=False
        ).first()
        if feature is None:
            continue
        for difference in match.differences:
            field = difference.get("field")
            if field not in editable or (feature.pk, field) in skipped | exclude:
                continue
            portal, osm = as_text(difference.get("dataset")), as_text(difference.get("osm"))
            rule = profile.fields.get(field)
            return Task(
                feature=feature,
                code="osm_difference",
                field=field,
                field_label=(rule.label if rule and rule.label else field),
                field_type=rule.type if rule else "text",
                current=as_text(feature.properties.get(field)),
                suggestion=osm,
                question=Question(
                    _(
                        "OpenStreetMap dit « %(osm)s », le portail dit « %(portal)s » : "
                        "qui a raison ?"
                    )
                    % {"osm": osm or "—", "portal": portal or "—"},
                    _(
                        "Si OpenStreetMap a raison, validez sa valeur ; si c’est le portail, "
                        "passez ; sinon, tapez la bonne valeur."
                    ),
                ),
                osm_value=osm,
                osm_ref=match.osm_ref or "",
            )
    return None
