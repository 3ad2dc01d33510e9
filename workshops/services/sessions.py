"""A workshop's life: prepared, opened with a join code, paused, closed; and its scope."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduction.models import Dataset, Feature

from ..codes import JOIN_CODE_LENGTH, random_code
from ..models import Workshop

Status = Workshop.Status


def open_workshop(workshop: Workshop) -> Workshop:
    """Open (or reopen) a workshop; it keeps its join code once it has one."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                if not workshop.join_code:
                    workshop.join_code = random_code(JOIN_CODE_LENGTH)
                workshop.status = Status.OPEN
                workshop.opened_at = workshop.opened_at or timezone.now()
                workshop.closed_at = None
                workshop.save()
            return workshop
        except IntegrityError:
            workshop.join_code = None  # the code was taken: draw another
    raise RuntimeError("could not draw a free join code")


def pause_workshop(workshop: Workshop) -> Workshop:
    workshop.status = Status.PAUSED
    workshop.save(update_fields=["status"])
    return workshop


def close_workshop(workshop: Workshop) -> Workshop:
    workshop.status = Status.CLOSED
    workshop.closed_at = timezone.now()
    workshop.save(update_fields=["status", "closed_at"])
    return workshop


def communes_of(datasets) -> list[str]:
    """The communes named in the datasets' features, to choose an area without a map."""
    names: set[str] = set()
    for dataset in datasets:
        field = dataset.parsed_profile.commune_field
        if not field:
            continue
        for properties in Feature.objects.filter(dataset=dataset, is_removed=False).values_list(
            "properties", flat=True
        ):
            value = str(properties.get(field) or "").strip()
            if value:
                names.add(value)
    return sorted(names, key=str.casefold)


def in_area(
    workshop: Workshop, dataset: Dataset, point: tuple[float, float] | None, properties: dict | None
) -> bool:
    """Inside the drawn box, or in one of the chosen communes; no area means anywhere."""
    if not workshop.area_bbox and not workshop.area_communes:
        return True
    if workshop.area_bbox and point is not None:
        west, south, east, north = workshop.area_bbox
        lon, lat = point
        if west <= lon <= east and south <= lat <= north:
            return True
    field = dataset.parsed_profile.commune_field
    if workshop.area_communes and field and properties is not None:
        commune = str(properties.get(field) or "").strip().casefold()
        return commune in {c.casefold() for c in workshop.area_communes}
    return False
