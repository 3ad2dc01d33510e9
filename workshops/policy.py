"""What a workshop participant may propose, and where their proposals are recorded."""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduction.models import Contributor
from coproduction.services.contributions import ContributionForbidden

from .models import Participant, WorkshopContribution
from .services.sessions import in_area


def _participant(author) -> Participant | None:
    if author is None or author.kind != Contributor.Kind.PARTICIPANT:
        return None
    return Participant.objects.select_related("workshop").filter(contributor=author).first()


def check_participant(author, dataset, feature, geometry) -> None:
    participant = _participant(author)
    if participant is None:
        if author is not None and author.kind == Contributor.Kind.PARTICIPANT:
            raise ContributionForbidden(_("Ce participant n’existe plus."))
        return
    workshop = participant.workshop
    if participant.erased_at:
        raise ContributionForbidden(_("Ce participant a été effacé."))
    if workshop.status == workshop.Status.PAUSED:
        raise ContributionForbidden(_("L’atelier est en pause : attendez la reprise."))
    if workshop.status != workshop.Status.OPEN:
        raise ContributionForbidden(_("L’atelier est terminé : les propositions sont closes."))
    if not workshop.datasets.filter(pk=dataset.pk).exists():
        raise ContributionForbidden(_("Ce jeu de données ne fait pas partie de l’atelier."))
    if feature is not None:
        point, properties = (feature.lon, feature.lat), feature.properties
    else:
        coordinates = (geometry or {}).get("coordinates")
        point, properties = (tuple(coordinates) if coordinates else None), None
    if not in_area(workshop, dataset, point, properties):
        raise ContributionForbidden(_("Ce lieu est hors de la zone de l’atelier."))


def record_workshop_contribution(contribution) -> None:
    participant = _participant(contribution.author)
    if participant is not None:
        WorkshopContribution.objects.create(
            workshop=participant.workshop, participant=participant, contribution=contribution
        )
