"""The end-of-session report: who came, what they proposed, what changed, over time."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.models import Contribution

from ..models import Workshop, WorkshopContribution

BUCKET_MINUTES = 10


@dataclass
class Bucket:
    start: datetime
    count: int


@dataclass
class Report:
    workshop: Workshop
    participants: int
    active_participants: int
    contributions: int
    by_kind: list[tuple[str, str, int]]
    by_status: list[tuple[str, str, int]]
    by_triage: list[tuple[str, str, int]]
    places_improved: int
    timeline: list[Bucket]

    @property
    def peak(self) -> int:
        return max((b.count for b in self.timeline), default=0)


def _timeline(times: list[datetime]) -> list[Bucket]:
    if not times:
        return []
    local = [timezone.localtime(t) for t in times]
    first = min(local).replace(second=0, microsecond=0)
    first -= timedelta(minutes=first.minute % BUCKET_MINUTES)
    counts: Counter[int] = Counter(
        int((t - first).total_seconds() // (BUCKET_MINUTES * 60)) for t in local
    )
    return [
        Bucket(first + timedelta(minutes=BUCKET_MINUTES * i), counts.get(i, 0))
        for i in range(max(counts) + 1)
    ]


def build_report(workshop: Workshop) -> Report:
    entries = list(
        WorkshopContribution.objects.filter(workshop=workshop).select_related("contribution")
    )
    contributions = [e.contribution for e in entries]
    kinds = Counter(c.kind for c in contributions)
    statuses = Counter(c.status for c in contributions)
    triages = Counter(e.triage for e in entries)
    improved = {
        c.feature_id
        for c in contributions
        if c.feature_id and c.status != Contribution.Status.WITHDRAWN
    }
    return Report(
        workshop=workshop,
        participants=workshop.participants.filter(joined_at__isnull=False).count(),
        active_participants=len({e.participant_id for e in entries}),
        contributions=len(contributions),
        by_kind=[(k, str(label), kinds.get(k, 0)) for k, label in Contribution.Kind.choices],
        by_status=[(s, str(label), statuses.get(s, 0)) for s, label in Contribution.Status.choices],
        by_triage=[
            (t, str(label), triages.get(t, 0)) for t, label in WorkshopContribution.Triage.choices
        ],
        places_improved=len(improved),
        timeline=_timeline([c.created_at for c in contributions]),
    )


def write_csv(workshop: Workshop, stream: IO[str]) -> None:
    """One row per contribution, for the access point's activity reporting (pseudonyms only)."""
    writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("atelier"),
            _("date"),
            _("participant"),
            _("jeu de données"),
            _("lieu"),
            _("type"),
            _("état"),
            _("tri"),
            _("informations proposées"),
        ]
    )
    entries = (
        WorkshopContribution.objects.filter(workshop=workshop)
        .select_related("participant", "contribution__dataset", "contribution__feature")
        .order_by("contribution__created_at")
    )
    for entry in entries:
        contribution = entry.contribution
        feature = contribution.feature
        writer.writerow(
            [
                workshop.title,
                timezone.localtime(contribution.created_at).strftime("%Y-%m-%d %H:%M"),
                str(entry.participant),
                contribution.dataset.title,
                (feature.name or feature.key) if feature else _("nouveau lieu"),
                contribution.get_kind_display(),
                contribution.get_status_display(),
                entry.get_triage_display(),
                ", ".join(sorted(contribution.changes)),
            ]
        )
