from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..profiles import DatasetProfile


class Dataset(models.Model):
    """A portal dataset, as imported: its profile, its history of versions, its features."""

    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    licence = models.CharField(_("licence"), max_length=100, blank=True, default="etalab-2.0")
    organisation = models.ForeignKey(
        "Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="datasets",
        verbose_name=_("organisation"),
    )
    profile = models.JSONField(_("profil"), default=dict, blank=True)
    current_version = models.ForeignKey(
        "DatasetVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("version courante"),
    )
    feature_count = models.PositiveIntegerField(_("nombre d’objets"), default=0)
    features_with_issues = models.PositiveIntegerField(_("objets à corriger"), default=0)
    bbox = models.JSONField(_("emprise"), null=True, blank=True)
    # The widest feature, in degrees of longitude (0 for points): bounds the visible-area query
    # on both sides, so that it reads only the features near the viewport.
    max_feature_span = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("jeu de données")
        verbose_name_plural = _("jeux de données")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("coproduction:dataset-map", args=[self.slug])

    @property
    def parsed_profile(self) -> DatasetProfile:
        return DatasetProfile.from_dict(self.profile or {})

    @property
    def columns(self) -> list[str]:
        return self.current_version.columns if self.current_version else []

    # Permissions -------------------------------------------------------------------------
    @staticmethod
    def can_create(user) -> bool:
        return bool(user and user.is_authenticated and user.has_perm("coproduction.add_dataset"))

    def can_import(self, user) -> bool:
        """Re-importing replaces the current version: the dataset's creator or an editor."""
        if not (user and user.is_authenticated):
            return False
        return user.has_perm("coproduction.change_dataset") or (
            self.created_by_id is not None and self.created_by_id == user.pk
        )

    def _membership_role(self, user) -> str | None:
        if self.organisation_id is None:
            return None
        return self.organisation.role_of(user)

    def _owns_without_organisation(self, user) -> bool:
        return self.organisation_id is None and self.can_import(user)

    def can_review(self, user) -> bool:
        """Reviewers and publishers of the owning organisation (or, for a dataset without one,
        whoever may import it)."""
        if not (user and user.is_authenticated):
            return False
        return bool(
            user.is_superuser
            or self._membership_role(user) is not None
            or self._owns_without_organisation(user)
        )

    def can_publish(self, user) -> bool:
        if not (user and user.is_authenticated):
            return False
        return bool(
            user.is_superuser
            or self._membership_role(user) == "publisher"
            or self._owns_without_organisation(user)
        )

    def is_odbl(self) -> bool:
        return "odbl" in (self.licence or "").lower()

    def can_view(self, user) -> bool:
        """Portal data is public open data: anyone may look at it and download it."""
        return True


class DatasetVersion(models.Model):
    """One import of a dataset: what the file held, and how it differed from the one before."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        GEOJSON = "geojson", "GeoJSON"
        JSON = "json", "JSON"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("numéro"))
    source_name = models.CharField(_("source"), max_length=500)
    source_sha256 = models.CharField(max_length=64)
    source_size = models.PositiveBigIntegerField(default=0)
    format = models.CharField(max_length=10, choices=Format.choices)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=2, blank=True)
    columns = models.JSONField(default=list)
    rows_read = models.PositiveIntegerField(default=0)
    features_added = models.PositiveIntegerField(default=0)
    features_changed = models.PositiveIntegerField(default=0)
    features_removed = models.PositiveIntegerField(default=0)
    features_unchanged = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    # At most REJECTED_ROWS_KEPT entries: enough to fix a file, bounded for a broken one.
    rejected_rows = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    REJECTED_ROWS_KEPT = 1000

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="unique_dataset_version")
        ]
        verbose_name = _("version de jeu de données")
        verbose_name_plural = _("versions de jeux de données")

    def __str__(self) -> str:
        return f"{self.dataset.slug} v{self.number}"
