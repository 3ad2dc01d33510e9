"""The live board: what arrives, who does what, and the facilitator's triage and reverts."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone

from coproduction.models import Contribution, ContributionEvent

from ..models import Participant, Revert, Workshop, WorkshopContribution

Status = Contribution.Status


def _entry_json(entry: WorkshopContribution) -> dict:
    contribution = entry.contribution
    feature = contribution.feature
    if feature is not None:
        name = feature.name or feature.key
        lon, lat = feature.lon, feature.lat
    else:
        name_field = contribution.dataset.parsed_profile.name_field or ""
        name = str(contribution.changes.get(name_field, "") or "")
        lon, lat = (contribution.geometry or {}).get("coordinates", [None, None])
    if contribution.geometry:
        lon, lat = contribution.geometry["coordinates"]
    return {
        "id": entry.pk,
        "contribution": contribution.pk,
        "participant": entry.participant_id,
        "participant_name": str(entry.participant),
        "kind": contribution.kind,
        "kind_label": str(contribution.get_kind_display()),
        "status": contribution.status,
        "status_label": str(contribution.get_status_display()),
        "triage": entry.triage,
        "triage_label": str(entry.get_triage_display()),
        "place": name,
        "dataset": contribution.dataset.title,
        "changes": contribution.changes,
        "comment": contribution.comment,
        "lon": lon,
        "lat": lat,
        "created_at": contribution.created_at.isoformat(),
    }


def board_state(workshop: Workshop) -> dict:
    """Everything the board shows; small enough for a two-hour session to poll often."""
    entries = list(
        WorkshopContribution.objects.filter(workshop=workshop)
        .select_related("contribution__feature", "contribution__dataset", "participant")
        .order_by("-id")
    )
    by_participant: Counter[int] = Counter(e.participant_id for e in entries)
    by_kind: Counter[str] = Counter(e.contribution.kind for e in entries)
    participants = workshop.participants.order_by("pseudonym")
    return {
        "status": workshop.status,
        "status_label": str(workshop.get_status_display()),
        "server_time": timezone.now().isoformat(),
        "total": len(entries),
        "entries": [_entry_json(e) for e in entries],
        "participants": [
            {
                "id": p.pk,
                "name": str(p),
                "count": by_participant.get(p.pk, 0),
                "pending": sum(
                    1
                    for e in entries
                    if e.participant_id == p.pk and e.contribution.status == Status.PENDING
                ),
                "joined": p.joined_at is not None,
            }
            for p in participants
        ],
        "kinds": [
            {"kind": kind, "label": str(label), "count": by_kind.get(kind, 0)}
            for kind, label in Contribution.Kind.choices
        ],
        "reverts": [
            {
                "id": r.pk,
                "participant_name": str(r.participant),
                "count": len(r.contribution_ids),
                "done_at": r.done_at.isoformat(),
                "undone": r.undone_at is not None,
            }
            for r in workshop.reverts.select_related("participant")
        ],
    }


def triage(entry: WorkshopContribution, label: str, user) -> WorkshopContribution:
    if label not in WorkshopContribution.Triage.values:
        raise ValueError(label)
    entry.triage = label
    entry.triaged_by = user
    entry.triaged_at = timezone.now()
    entry.save(update_fields=["triage", "triaged_by", "triaged_at"])
    return entry


def revert_participant(workshop: Workshop, participant: Participant, user) -> Revert:
    """Withdraw every pending proposal of one participant (spam, a mistaken session)."""
    with transaction.atomic():
        ids = list(
            Contribution.objects.select_for_update()
            .filter(
                workshop_entry__workshop=workshop,
                workshop_entry__participant=participant,
                status=Status.PENDING,
            )
            .values_list("pk", flat=True)
        )
        Contribution.objects.filter(pk__in=ids).update(
            status=Status.WITHDRAWN, updated_at=timezone.now()
        )
        ContributionEvent.objects.bulk_create(
            [
                ContributionEvent(
                    contribution_id=pk,
                    action=ContributionEvent.Action.WITHDRAWN,
                    data={"by_facilitator": user.pk, "workshop": workshop.pk, "revert": True},
                )
                for pk in ids
            ]
        )
        return Revert.objects.create(
            workshop=workshop, participant=participant, contribution_ids=ids, done_by=user
        )


def undo_revert(revert: Revert, user) -> Revert:
    """Put the reverted proposals back in the queue, as they were."""
    with transaction.atomic():
        revert = Revert.objects.select_for_update().get(pk=revert.pk)
        if revert.undone_at is not None:
            return revert
        restored = list(
            Contribution.objects.filter(
                pk__in=revert.contribution_ids, status=Status.WITHDRAWN
            ).values_list("pk", flat=True)
        )
        Contribution.objects.filter(pk__in=restored).update(
            status=Status.PENDING, updated_at=timezone.now()
        )
        ContributionEvent.objects.bulk_create(
            [
                ContributionEvent(
                    contribution_id=pk,
                    action=ContributionEvent.Action.RESTORED,
                    data={"by_facilitator": user.pk, "revert": revert.pk},
                )
                for pk in restored
            ]
        )
        revert.undone_at = timezone.now()
        revert.undone_by = user
        revert.save(update_fields=["undone_at", "undone_by"])
    return revert
