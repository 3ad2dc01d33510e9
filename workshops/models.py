from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Workshop(models.Model):
    """A live session in a digital-mediation place: datasets and an area to improve."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("en préparation")
        OPEN = "open", _("ouvert")
        PAUSED = "paused", _("en pause")
        CLOSED = "closed", _("terminé")

    title = models.CharField(_("titre"), max_length=200)
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    place_feature = models.ForeignKey(
        "coproduction.Feature",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lieu dans le jeu de données"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    instructions = models.TextField(_("consignes"), blank=True)
    datasets = models.ManyToManyField(
        "coproduction.Dataset", related_name="workshops", verbose_name=_("jeux de données")
    )
    # The area: a bounding box (west, south, east, north) and/or a list of communes.
    area_bbox = models.JSONField(_("zone"), null=True, blank=True)
    area_communes = models.JSONField(_("communes"), default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    join_code = models.CharField(max_length=12, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="workshops_created"
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="workshops",
        blank=True,
        verbose_name=_("co-animateurs"),
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workshops:detail", args=[self.pk])

    # Permissions -------------------------------------------------------------------------
    @staticmethod
    def can_create(user) -> bool:
        return bool(user and user.is_authenticated)

    def can_manage(self, user) -> bool:
        if not (user and user.is_authenticated):
            return False
        return self.created_by_id == user.pk or self.facilitators.filter(pk=user.pk).exists()

    @property
    def accepts_contributions(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def accepts_participants(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.PAUSED)


class Participant(models.Model):
    """A citizen in a workshop: a pseudonym and a recovery code, never an e-mail."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="participants")
    contributor = models.OneToOneField(
        "coproduction.Contributor", on_delete=models.PROTECT, related_name="participant"
    )
    pseudonym = models.CharField(_("pseudonyme"), max_length=40)
    recovery_code = models.CharField(max_length=12, unique=True)
    pre_registered = models.BooleanField(default=False)
    joined_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "pseudonym"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "pseudonym"],
                name="unique_pseudonym_per_workshop",
                condition=models.Q(erased_at__isnull=True),
            )
        ]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return str(_("participant anonyme")) if self.erased_at else self.pseudonym

    def can_act(self) -> bool:
        return self.erased_at is None and self.workshop.accepts_contributions


class Zone(models.Model):
    """A part of the area that one participant claims, so that people spread out."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(max_length=100)
    bbox = models.JSONField(null=True, blank=True)
    commune = models.CharField(max_length=200, blank=True)
    claimed_by = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="zones"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def current_claimer(self) -> Participant | None:
        if self.claimed_by_id and self.claimed_until and self.claimed_until > timezone.now():
            return self.claimed_by
        return None


class WorkshopContribution(models.Model):
    """A contribution made during a workshop, with the facilitator's triage of it."""

    class Triage(models.TextChoices):
        NEW = "new", _("à trier")
        SPAM = "spam", _("indésirable")
        NEEDS_INFO = "needs_info", _("à préciser")
        READY = "ready", _("prête pour la relecture")

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="entries")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="entries")
    contribution = models.OneToOneField(
        "coproduction.Contribution", on_delete=models.CASCADE, related_name="workshop_entry"
    )
    triage = models.CharField(max_length=12, choices=Triage.choices, default=Triage.NEW)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["workshop", "id"]

    def __str__(self) -> str:
        return f"{self.workshop} · {self.contribution}"


class Revert(models.Model):
    """A facilitator withdrew all pending proposals of one participant; undoable."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="reverts")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="reverts")
    contribution_ids = models.JSONField(default=list)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-done_at"]

    def __str__(self) -> str:
        return f"{self.participant} ({len(self.contribution_ids)})"
