"""Zones: parts of the area that participants claim so that they spread out."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Participant, Workshop, Zone


class ZoneTaken(Exception):
    pass


def split_in_grid(workshop: Workshop, rows: int, columns: int) -> list[Zone]:
    """Replace the zones with a grid over the area's box (rows from north to south)."""
    if not workshop.area_bbox:
        raise ValueError(_("Dessinez d’abord la zone de l’atelier."))
    west, south, east, north = workshop.area_bbox
    height, width = (north - south) / rows, (east - west) / columns
    with transaction.atomic():
        workshop.zones.all().delete()
        zones = [
            Zone(
                workshop=workshop,
                name=_("Zone %(row)s-%(column)s") % {"row": r + 1, "column": c + 1},
                bbox=[
                    west + c * width,
                    north - (r + 1) * height,
                    west + (c + 1) * width,
                    north - r * height,
                ],
            )
            for r in range(rows)
            for c in range(columns)
        ]
        return Zone.objects.bulk_create(zones)


def split_by_commune(workshop: Workshop) -> list[Zone]:
    with transaction.atomic():
        workshop.zones.all().delete()
        return Zone.objects.bulk_create(
            [
                Zone(workshop=workshop, name=commune, commune=commune)
                for commune in workshop.area_communes
            ]
        )


def claim(zone: Zone, participant: Participant) -> Zone:
    with transaction.atomic():
        zone = Zone.objects.select_for_update().get(pk=zone.pk)
        holder = zone.current_claimer
        if holder is not None and holder.pk != participant.pk:
            raise ZoneTaken(_("%(name)s s’occupe déjà de cette zone.") % {"name": holder})
        zone.claimed_by = participant
        zone.claimed_until = timezone.now() + timedelta(
            minutes=settings.WORKSHOP_ZONE_CLAIM_MINUTES
        )
        zone.save(update_fields=["claimed_by", "claimed_until"])
    return zone


def release(zone: Zone) -> Zone:
    zone.claimed_by = None
    zone.claimed_until = None
    zone.save(update_fields=["claimed_by", "claimed_until"])
    return zone
