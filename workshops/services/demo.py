"""A live demonstration workshop, so that a newcomer sees what a session looks like."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from coproduction.models import Dataset, Feature
from coproduction.services.contribution_rules import ContributionInvalid
from coproduction.services.contributions import create_contribution

from ..models import Workshop
from . import participation, sessions

DEMO_TITLE = "Atelier découverte : les lieux d’inclusion numérique"
DEMO_DATASET = "lieux-inclusion-numerique"


def load_demo_workshop(owner) -> list[str]:
    dataset = Dataset.objects.filter(slug=DEMO_DATASET).first()
    if dataset is None:
        return []
    workshop = Workshop.objects.filter(title=DEMO_TITLE, created_by=owner).first()
    if workshop is not None:
        return [f"Atelier de démonstration : déjà chargé (code {workshop.join_code})"]
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    workshop = Workshop.objects.create(
        title=DEMO_TITLE,
        place_name="Espace public numérique de Digne-les-Bains",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        created_by=owner,
        instructions="Vérifiez les codes postaux et les horaires des lieux de votre commune.",
    )
    workshop.datasets.add(dataset)
    sessions.open_workshop(workshop)
    places = Feature.objects.filter(
        dataset=dataset, issue_codes__contains=" postcode_format ", is_removed=False
    ).order_by("row_number")[:4]
    for pseudonym, place in zip(("Samia", "Louis", "Samia", "Louis"), places, strict=False):
        participant = workshop.participants.filter(pseudonym=pseudonym).first() or (
            participation.join(workshop.join_code, pseudonym, "demo")
        )
        postcode = str(place.properties.get("adresse_code_postal", "")).zfill(5)
        try:
            create_contribution(
                participant.contributor,
                dataset,
                client_uuid=uuid.uuid4(),
                kind="attributes",
                feature=place,
                changes={"adresse_code_postal": postcode},
            )
        except ContributionInvalid:
            continue
    return [
        f"Atelier de démonstration ouvert : code {workshop.join_code} (tableau : /ateliers/"
        f"{workshop.pk}/tableau/)"
    ]
