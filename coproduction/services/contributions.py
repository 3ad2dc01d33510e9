"""Storing, editing and withdrawing proposals. Nothing here touches the dataset itself: a data
owner's review (a later step) turns an accepted proposal into the next feature version."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Contribution, ContributionEvent, Contributor, Dataset, Feature
from ..policies import check_author, contribution_created
from ..quality import as_text
from .contribution_rules import ContributionInvalid, clean_proposal, clean_value_sources

Status = Contribution.Status
Kind = Contribution.Kind


class ContributionForbidden(Exception):
    """The contributor may not do this to this contribution (not theirs, no longer pending)."""


class DuplicateClientUuid(Exception):
    """The client_uuid belongs to another author's contribution."""


def create_contribution(
    author: Contributor,
    dataset: Dataset,
    *,
    client_uuid: uuid.UUID,
    kind: str,
    feature: Feature | None = None,
    base_version: int | None = None,
    comment: Any = "",
    changes: Any = None,
    geometry: Any = None,
    value_sources: Any = None,
) -> tuple[Contribution, bool]:
    """Store a proposal once per client_uuid: a retry of the same proposal (a flaky workshop
    network) gets the contribution already stored, and `created` is False."""
    existing = Contribution.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return _same_author(existing, author), False
    proposal = clean_proposal(dataset, feature, kind, comment, changes, geometry)
    sources = clean_value_sources(value_sources, proposal.changes)
    check_author(author, dataset, feature, proposal.geometry)
    try:
        with transaction.atomic():
            contribution = Contribution.objects.create(
                client_uuid=client_uuid,
                dataset=dataset,
                feature=feature,
                base_version=_base_version(feature, base_version),
                kind=proposal.kind,
                author=author,
                comment=proposal.comment,
                changes=proposal.changes,
                previous_values=_previous_values(feature, proposal.changes),
                geometry=proposal.geometry,
                previous_geometry=feature.geometry if feature and proposal.geometry else None,
                value_sources=sources,
            )
            ContributionEvent.objects.create(
                contribution=contribution, action=ContributionEvent.Action.CREATED, actor=author
            )
            _supersede_own_earlier(contribution)
            _refresh_links(contribution)
            contribution_created(contribution)
    except IntegrityError:
        # Two copies of the same retry raced each other: the other one won.
        existing = Contribution.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _same_author(existing, author), False
    return contribution, True


def _supersede_own_earlier(contribution: Contribution) -> None:
    """A contributor who proposes again on the same place and the same attributes (or the same
    position) changed their mind: their earlier pending proposal is superseded, not lost."""
    if contribution.feature_id is None or contribution.kind in (Kind.COMMENT, Kind.ADD):
        return
    earlier = Contribution.objects.filter(
        feature_id=contribution.feature_id,
        author_id=contribution.author_id,
        kind=contribution.kind,
        status=Status.PENDING,
    ).exclude(pk=contribution.pk)
    for previous in earlier:
        if previous.touched_fields <= contribution.touched_fields:
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            previous.competing.clear()
            ContributionEvent.objects.create(
                contribution=previous,
                action=ContributionEvent.Action.SUPERSEDED,
                actor=contribution.author,
                data={"by": contribution.pk},
            )


def _same_author(contribution: Contribution, author: Contributor) -> Contribution:
    if contribution.author_id != author.pk:
        raise DuplicateClientUuid(_("Cet identifiant de proposition est déjà utilisé."))
    return contribution


def _base_version(feature: Feature | None, claimed: int | None) -> int | None:
    if feature is None:
        return None
    if claimed is None or claimed > feature.version or claimed < 1:
        return feature.version
    return claimed


def _previous_values(feature: Feature | None, changes: dict) -> dict:
    if feature is None:
        return {}
    return {name: feature.properties.get(name) for name in changes}


def edit_contribution(
    contribution: Contribution,
    author: Contributor,
    *,
    comment: Any = None,
    changes: Any = None,
    geometry: Any = None,
) -> Contribution:
    """Change a pending proposal; the state it replaces is kept in its events."""
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if not contribution.can_edit(author):
            raise ContributionForbidden(
                _("Vous ne pouvez modifier que vos propres propositions en attente.")
            )
        check_author(author, contribution.dataset, contribution.feature, contribution.geometry)
        proposal = clean_proposal(
            contribution.dataset,
            contribution.feature,
            contribution.kind,
            contribution.comment if comment is None else comment,
            contribution.changes if changes is None else changes,
            contribution.geometry if geometry is None else geometry,
        )
        before = {
            "comment": contribution.comment,
            "changes": contribution.changes,
            "geometry": contribution.geometry,
        }
        contribution.comment = proposal.comment
        contribution.changes = proposal.changes
        contribution.previous_values = _previous_values(contribution.feature, proposal.changes)
        contribution.geometry = proposal.geometry
        contribution.save()
        ContributionEvent.objects.create(
            contribution=contribution,
            action=ContributionEvent.Action.EDITED,
            actor=author,
            data={"before": before},
        )
        _refresh_links(contribution)
    return contribution


def withdraw_contribution(contribution: Contribution, author: Contributor) -> Contribution:
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
        if not contribution.can_withdraw(author):
            raise ContributionForbidden(
                _("Vous ne pouvez retirer que vos propres propositions en attente.")
            )
        contribution.status = Status.WITHDRAWN
        contribution.save(update_fields=["status", "updated_at"])
        contribution.competing.clear()
        ContributionEvent.objects.create(
            contribution=contribution, action=ContributionEvent.Action.WITHDRAWN, actor=author
        )
    return contribution


def _refresh_links(contribution: Contribution) -> None:
    """Link competing proposals and flag a conflict with what changed since the base version.
    Both stay: nothing is overwritten, the reviewer sees them side by side."""
    contribution.competing.clear()
    feature = contribution.feature
    if feature is None:
        return
    others = (
        Contribution.objects.filter(feature=feature, status=Status.PENDING)
        .exclude(pk=contribution.pk)
        .only("id", "changes", "geometry")
    )
    competitors = [other for other in others if competes(contribution, other)]
    if competitors:
        contribution.competing.add(*competitors)
    _flag_conflict(contribution, feature)


def competes(a: Contribution, b: Contribution) -> bool:
    """Two proposals compete when they give different values to the same attribute, or
    different positions to the same place."""
    for name in set(a.changes) & set(b.changes):
        if as_text(a.changes[name]) != as_text(b.changes[name]):
            return True
    return a.geometry is not None and b.geometry is not None and a.geometry != b.geometry


def changed_since(feature: Feature, base_version: int) -> set[str]:
    changed: set[str] = set()
    for fields in feature.versions.filter(number__gt=base_version).values_list(
        "changed_fields", flat=True
    ):
        changed.update(fields or [])
    return changed


def _flag_conflict(contribution: Contribution, feature: Feature) -> None:
    if contribution.base_version is None or contribution.base_version >= feature.version:
        return
    conflicting = sorted(
        contribution.touched_fields & changed_since(feature, contribution.base_version)
    )
    if conflicting and conflicting != contribution.conflict_fields:
        contribution.conflict = True
        contribution.conflict_fields = conflicting
        contribution.save(update_fields=["conflict", "conflict_fields", "updated_at"])


def flag_conflicts_after_change(feature: Feature) -> None:
    """A new version of `feature` exists (a re-import, later a review): pending proposals that
    touch what changed are marked as conflicts."""
    pending = Contribution.objects.filter(feature=feature, status=Status.PENDING)
    for contribution in pending:
        before = contribution.conflict_fields
        _flag_conflict(contribution, feature)
        if contribution.conflict_fields != before:
            ContributionEvent.objects.create(
                contribution=contribution,
                action=ContributionEvent.Action.CONFLICT,
                data={"fields": contribution.conflict_fields, "version": feature.version},
            )


__all__ = [
    "ContributionForbidden",
    "ContributionInvalid",
    "DuplicateClientUuid",
    "create_contribution",
    "edit_contribution",
    "flag_conflicts_after_change",
    "withdraw_contribution",
]
