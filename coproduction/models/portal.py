"""Where a dataset's releases go (portal targets) and each attempt to send one there (push jobs).

A push job keeps its release and target for good: when a portal is down, the job fails after a
few automatic attempts, and the same release can be sent again later. Nothing is lost.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PortalTarget(models.Model):
    """One portal dataset that receives the releases of one of our datasets."""

    class Kind(models.TextChoices):
        CKAN = "ckan", "CKAN"
        UDATA = "udata", "data.gouv.fr (udata)"

    dataset = models.ForeignKey(
        "Dataset",
        on_delete=models.CASCADE,
        related_name="portal_targets",
        verbose_name=_("jeu de données"),
    )
    kind = models.CharField(_("type de portail"), max_length=10, choices=Kind.choices)
    portal_dataset_id = models.CharField(
        _("identifiant sur le portail"),
        max_length=200,
        help_text=_("CKAN : nom ou identifiant du jeu de données ; udata : identifiant ou slug."),
    )
    # {"csv": "...", "geojson": "...", "schema.csv": "..."}: the portal's resources that the
    # next release replaces. Filled by the first push, so later pushes update, not duplicate.
    resource_ids = models.JSONField(_("ressources sur le portail"), default=dict, blank=True)
    owned_by_organisation = models.BooleanField(
        _("jeu de données géré par l’organisation"),
        default=True,
        help_text=_(
            "udata : sinon les fichiers sont proposés comme ressources communautaires du jeu "
            "de données."
        ),
    )
    schema_name = models.CharField(
        _("schéma udata"),
        max_length=200,
        blank=True,
        help_text=_(
            "udata : schéma déclaré pour le fichier au format national, par exemple "
            "« LaMednum/standard-mediation-num ». Vide : déduit de la publication."
        ),
    )
    enabled = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["dataset", "kind", "portal_dataset_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "kind", "portal_dataset_id"], name="unique_portal_target"
            )
        ]
        verbose_name = _("portail de destination")
        verbose_name_plural = _("portails de destination")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.portal_dataset_id}"


class PushJob(models.Model):
    """Sending one release to one portal target, with a log the publisher can read."""

    MAX_ATTEMPTS = 5

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        SUCCEEDED = "succeeded", _("réussie")
        FAILED = "failed", _("échouée")
        RETRYING = "retrying", _("nouvelle tentative prévue")

    class Level(models.TextChoices):
        INFO = "info", _("information")
        WARNING = "warning", _("avertissement")
        ERROR = "error", _("erreur")

    release = models.ForeignKey(
        "Release", on_delete=models.PROTECT, related_name="push_jobs", verbose_name=_("publication")
    )
    target = models.ForeignKey(
        PortalTarget,
        on_delete=models.PROTECT,
        related_name="push_jobs",
        verbose_name=_("portail de destination"),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    # [{"at": ISO 8601, "level": "info" | "warning" | "error", "message": "..."}], in French.
    log = models.JSONField(_("journal"), default=list, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="pushjob_status_idx")]
        verbose_name = _("envoi vers un portail")
        verbose_name_plural = _("envois vers un portail")

    def __str__(self) -> str:
        return f"{self.release} → {self.target} ({self.get_status_display()})"

    def add_log(self, level: str, message: str) -> None:
        """Append a line to the log; the caller saves the job."""
        self.log.append(
            {"at": timezone.now().isoformat(), "level": str(level), "message": str(message)}
        )
