from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Contributor(models.Model):
    """Who proposes a change: a registered user, or a pseudonymous workshop participant.

    Contributions point here rather than at a user, so that participants who join a workshop
    with a code and a pseudonym (no e-mail) are authors like everyone else.
    """

    class Kind(models.TextChoices):
        USER = "user", _("compte")
        PARTICIPANT = "participant", _("participant d’atelier")

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.USER)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
    )
    display_name = models.CharField(_("nom affiché"), max_length=80)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contributeur")
        verbose_name_plural = _("contributeurs")

    def __str__(self) -> str:
        if self.erased_at:
            return str(_("participant anonyme"))
        return self.display_name

    @classmethod
    def for_user(cls, user) -> Contributor:
        contributor, _created = cls.objects.get_or_create(
            user=user,
            defaults={"kind": cls.Kind.USER, "display_name": _display_name(user)},
        )
        return contributor


def _display_name(user) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    if full:
        return full[:80]
    email = getattr(user, "email", "") or ""
    return (email.split("@")[0] or user.get_username())[:80]


class Contribution(models.Model):
    """A proposal made on a feature version. Never applied directly: a data owner decides."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("commentaire")
        ATTRIBUTES = "attributes", _("correction d’informations")
        MOVE = "move", _("nouvelle position")
        CLOSED = "closed", _("lieu fermé ou disparu")
        ADD = "add", _("lieu manquant")

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        ACCEPTED = "accepted", _("acceptée")
        ACCEPTED_WITH_CHANGES = "accepted_with_changes", _("acceptée avec modifications")
        REJECTED = "rejected", _("refusée")
        WITHDRAWN = "withdrawn", _("retirée")
        SUPERSEDED = "superseded", _("remplacée")

    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    dataset = models.ForeignKey("Dataset", on_delete=models.CASCADE, related_name="contributions")
    feature = models.ForeignKey(
        "Feature",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    base_version = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Version de l’objet sur laquelle porte la proposition.")
    )
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("état"), max_length=24, choices=Status.choices, default=Status.PENDING
    )
    author = models.ForeignKey(Contributor, on_delete=models.PROTECT, related_name="contributions")
    comment = models.TextField(_("commentaire"), blank=True)
    changes = models.JSONField(_("valeurs proposées"), default=dict, blank=True)
    # Where a proposed value was taken from, when not from the contributor: {"field": "osm"}.
    # Accepted, it becomes the attribute's provenance (OpenStreetMap values are ODbL).
    value_sources = models.JSONField(default=dict, blank=True)
    previous_values = models.JSONField(default=dict, blank=True)
    geometry = models.JSONField(_("position proposée"), null=True, blank=True)
    previous_geometry = models.JSONField(null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="contributions/%Y/%m/", blank=True)
    conflict = models.BooleanField(
        _("en conflit"),
        default=False,
        help_text=_("Un attribut proposé a changé depuis la version de base."),
    )
    conflict_fields = models.JSONField(default=list, blank=True)
    competing = models.ManyToManyField("self", blank=True, symmetrical=True)
    # The data owner's decision.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(
        _("motif"),
        max_length=20,
        blank=True,
        choices=[
            ("wrong", _("erronée")),
            ("duplicate", _("en double")),
            ("spam", _("indésirable")),
            ("unverifiable", _("invérifiable")),
            ("other", _("autre")),
        ],
    )
    decision_note = models.TextField(_("message du relecteur"), blank=True)
    info_requested = models.BooleanField(_("précision demandée"), default=False)
    final_changes = models.JSONField(default=dict, blank=True)
    final_geometry = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["feature", "status"], name="contribution_feature_idx"),
            models.Index(fields=["author", "-created_at"], name="contribution_author_idx"),
            models.Index(fields=["dataset", "status"], name="contribution_dataset_idx"),
        ]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def touched_fields(self) -> set[str]:
        fields = set(self.changes)
        if self.geometry is not None:
            fields.add("geometry")
        return fields

    # Permissions -------------------------------------------------------------------------
    def can_edit(self, contributor: Contributor | None) -> bool:
        return bool(contributor and self.is_pending and self.author_id == contributor.pk)

    can_withdraw = can_edit

    def can_view(self, contributor: Contributor | None, user=None) -> bool:
        if contributor and self.author_id == contributor.pk:
            return True
        return bool(user and user.is_authenticated and self.dataset.can_review(user))

    def can_review(self, user) -> bool:
        """Nobody reviews their own proposal."""
        if not self.dataset.can_review(user):
            return False
        return self.author.user_id != user.pk


class ContributionEvent(models.Model):
    """What happened to a contribution and who did it; edits keep the state they replaced."""

    class Action(models.TextChoices):
        CREATED = "created", _("proposée")
        EDITED = "edited", _("modifiée")
        WITHDRAWN = "withdrawn", _("retirée")
        RESTORED = "restored", _("remise en attente")
        SUPERSEDED = "superseded", _("remplacée par une proposition plus récente")
        ACCEPTED = "accepted", _("acceptée")
        REJECTED = "rejected", _("refusée")
        INFO_REQUESTED = "info", _("précision demandée")
        CONFLICT = "conflict", _("mise en conflit")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(Contributor, null=True, blank=True, on_delete=models.SET_NULL)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contribution", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.contribution} {self.action}"
