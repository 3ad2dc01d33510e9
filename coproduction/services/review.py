"""The data owner's decisions. Accepting a proposal creates the next feature version in one
transaction; nothing else ever changes a dataset besides an import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Contribution, ContributionEvent, Feature, FeatureVersion
from ..quality import as_text
from .contribution_rules import ContributionInvalid, clean_proposal
from .contributions import changed_since, flag_conflicts_after_change
from .feature_rows import refresh_derived

Status = Contribution.Status
Kind = Contribution.Kind
REJECTION_REASONS = ("wrong", "duplicate", "spam", "unverifiable", "other")


class ReviewRefused(Exception):
    """The reviewer may not decide this, or it is no longer pending."""


class StaleProposal(Exception):
    """The attributes this proposal touches changed since it was made: the reviewer must say
    explicitly that the proposal still applies (resolve_stale=True)."""

    def __init__(self, fields: list[str]):
        super().__init__(fields)
        self.fields = fields


def _lock_pending(contribution: Contribution, reviewer) -> Contribution:
    # of=("self",): PostgreSQL cannot lock the nullable side of the feature join; the feature
    # row is locked on its own where it changes.
    contribution = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("dataset", "author", "feature")
        .get(pk=contribution.pk)
    )
    if not contribution.can_review(reviewer):
        raise ReviewRefused(_("Vous ne pouvez pas relire cette proposition."))
    if contribution.status != Status.PENDING:
        raise ReviewRefused(_("Cette proposition a déjà été traitée."))
    return contribution


def _set_point(feature: Feature, geometry: dict, profile) -> None:
    """Move the feature and write the new position into the coordinate columns, in the type
    and form the portal file used."""
    lon, lat = geometry["coordinates"]
    feature.geometry = {"type": "Point", "coordinates": [lon, lat]}
    properties = dict(feature.properties)
    if profile.latlon_field:
        properties[profile.latlon_field] = f"{lat}, {lon}"
    elif profile.lat_field and profile.lon_field:
        for name, value in ((profile.lat_field, lat), (profile.lon_field, lon)):
            previous = properties.get(name)
            properties[name] = value if isinstance(previous, (int, float)) else str(value)
    feature.properties = properties


def _apply(contribution: Contribution, changes: dict, geometry: dict | None) -> Feature | None:
    dataset = contribution.dataset
    profile = dataset.parsed_profile
    region = tuple(settings.REGION_BBOX)
    if contribution.kind == Kind.ADD:
        return _create_feature(contribution, changes, geometry, profile, region)
    feature = Feature.objects.select_for_update().get(pk=contribution.feature_id)
    if contribution.kind == Kind.COMMENT:
        return feature
    feature.version += 1
    if contribution.kind == Kind.CLOSED:
        feature.is_removed = True
        feature.save()
        feature.snapshot(FeatureVersion.Change.REMOVED, contribution=contribution).save()
        return feature
    changed = list(changes)
    if changes:
        feature.properties = {**feature.properties, **changes}
    if geometry is not None:
        _set_point(feature, geometry, profile)
        changed.append("geometry")
    provenance = dict(feature.provenance)
    for name in changed:
        source = contribution.value_sources.get(name, "contribution")
        provenance[name] = {"source": source, "contribution": contribution.pk}
    feature.provenance = provenance
    refresh_derived(feature, profile, region)
    feature.save()
    feature.snapshot(
        FeatureVersion.Change.CONTRIBUTED, changed_fields=changed, contribution=contribution
    ).save()
    return feature


def _create_feature(contribution, changes, geometry, profile, region) -> Feature:
    dataset = contribution.dataset
    key_parts = [as_text(changes.get(f)) for f in profile.id_fields]
    key = "|".join(key_parts) if profile.id_fields and all(key_parts) else ""
    if not key or Feature.objects.filter(dataset=dataset, key=key).exists():
        key = f"contribution-{contribution.pk}"
    last_row = Feature.objects.filter(dataset=dataset).order_by("-row_number").first()
    feature = Feature(
        dataset=dataset,
        key=key,
        properties=dict(changes),
        geometry=geometry,
        row_number=(last_row.row_number + 1) if last_row else 1,
        version=1,
        first_version=dataset.current_version,
        last_version=dataset.current_version,
        lon=0,
        lat=0,
        min_lon=0,
        min_lat=0,
        max_lon=0,
        max_lat=0,
        provenance={
            name: {"source": "contribution", "contribution": contribution.pk} for name in changes
        },
    )
    _set_point(feature, geometry, profile)
    refresh_derived(feature, profile, region)
    feature.save()
    feature.snapshot(
        FeatureVersion.Change.ADDED, changed_fields=list(changes), contribution=contribution
    ).save()
    return feature


def accept(
    contribution: Contribution,
    reviewer,
    *,
    changes: Any = None,
    geometry: Any = None,
    note: str = "",
    resolve_stale: bool = False,
) -> Contribution:
    """Accept a proposal, or accept it with changes (other values, another position)."""
    with transaction.atomic():
        contribution = _lock_pending(contribution, reviewer)
        feature = contribution.feature
        if feature is not None and contribution.base_version:
            feature.refresh_from_db()
            stale = sorted(
                contribution.touched_fields & changed_since(feature, contribution.base_version)
            )
            if stale and not resolve_stale:
                raise StaleProposal(stale)
        final_changes = contribution.changes if changes is None else changes
        final_geometry = contribution.geometry if geometry is None else geometry
        if changes is not None or geometry is not None:
            proposal = clean_proposal(
                contribution.dataset,
                feature,
                contribution.kind,
                contribution.comment,
                final_changes,
                final_geometry,
            )
            final_changes, final_geometry = proposal.changes, proposal.geometry
        amended = final_changes != contribution.changes or final_geometry != contribution.geometry
        result = _apply(contribution, final_changes, final_geometry)
        contribution.status = Status.ACCEPTED_WITH_CHANGES if amended else Status.ACCEPTED
        contribution.final_changes = final_changes
        contribution.final_geometry = final_geometry
        if contribution.kind == Kind.ADD and result is not None:
            contribution.feature = result
        _decide(contribution, reviewer, note, ContributionEvent.Action.ACCEPTED)
        contribution.competing.clear()
        if result is not None and contribution.kind != Kind.COMMENT:
            flag_conflicts_after_change(result)
    _notify(contribution)
    return contribution


def reject(contribution: Contribution, reviewer, *, reason: str, note: str = "") -> Contribution:
    if reason not in REJECTION_REASONS:
        raise ContributionInvalid({"reason": [_("Choisissez un motif de refus.")]})
    with transaction.atomic():
        contribution = _lock_pending(contribution, reviewer)
        contribution.status = Status.REJECTED
        contribution.rejection_reason = reason
        _decide(contribution, reviewer, note, ContributionEvent.Action.REJECTED)
        contribution.competing.clear()
    _notify(contribution)
    return contribution


def request_information(contribution: Contribution, reviewer, *, message: str) -> Contribution:
    if not message.strip():
        raise ContributionInvalid({"note": [_("Écrivez votre question au contributeur.")]})
    with transaction.atomic():
        contribution = _lock_pending(contribution, reviewer)
        contribution.info_requested = True
        contribution.decision_note = message.strip()
        contribution.save(update_fields=["info_requested", "decision_note", "updated_at"])
        ContributionEvent.objects.create(
            contribution=contribution,
            action=ContributionEvent.Action.INFO_REQUESTED,
            data={"by": reviewer.pk, "message": message.strip()},
        )
    _notify(contribution)
    return contribution


def _decide(contribution: Contribution, reviewer, note: str, action: str) -> None:
    contribution.decided_by = reviewer
    contribution.decided_at = timezone.now()
    contribution.decision_note = note.strip()
    contribution.info_requested = False
    contribution.save()
    ContributionEvent.objects.create(
        contribution=contribution,
        action=action,
        data={
            "by": reviewer.pk,
            "status": contribution.status,
            "reason": contribution.rejection_reason,
            "note": contribution.decision_note,
        },
    )


def is_simple(contribution: Contribution) -> bool:
    """Simple enough to accept in bulk: an attribute fix without conflict or competitor."""
    return (
        contribution.kind == Kind.ATTRIBUTES
        and contribution.status == Status.PENDING
        and not contribution.conflict
        and not contribution.competing.exists()
    )


def bulk_accept(contributions, reviewer) -> tuple[int, list[str]]:
    accepted, skipped = 0, []
    for contribution in contributions:
        if not is_simple(contribution):
            skipped.append(str(contribution))
            continue
        try:
            accept(contribution, reviewer)
            accepted += 1
        except (ReviewRefused, StaleProposal, ContributionInvalid):
            skipped.append(str(contribution))
    return accepted, skipped


def _notify(contribution: Contribution) -> None:
    """Registered contributors get an e-mail; participants see it on "my contributions"."""
    user = contribution.author.user
    if user is None or not user.email:
        return
    place = contribution.feature.name if contribution.feature else _("un nouveau lieu")
    if contribution.info_requested:
        subject = _("Une question sur votre proposition")
    else:
        subject = _("Votre proposition a été %(status)s") % {
            "status": contribution.get_status_display()
        }
    lines = [
        _("Votre proposition « %(kind)s » sur %(place)s : %(status)s.")
        % {
            "kind": contribution.get_kind_display(),
            "place": place,
            "status": contribution.get_status_display(),
        },
    ]
    if contribution.rejection_reason:
        reason = contribution.get_rejection_reason_display()
        lines.append(_("Motif : %(reason)s") % {"reason": reason})
    if contribution.decision_note:
        lines.append(_("Message du relecteur : %(note)s") % {"note": contribution.decision_note})
    lines.append(settings.SITE_URL.rstrip("/") + reverse("coproduction:my-contributions"))
    send_mail(subject, "\n\n".join(lines), None, [user.email], fail_silently=True)
