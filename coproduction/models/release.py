from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def release_path(instance: Release, filename: str) -> str:
    return f"releases/{instance.dataset.slug}/v{instance.number}/{filename}"


class Release(models.Model):
    """An immutable published version of a dataset: its files and what changed."""

    dataset = models.ForeignKey("Dataset", on_delete=models.PROTECT, related_name="releases")
    number = models.PositiveIntegerField(_("version"))
    note = models.TextField(_("note de version"), blank=True)
    changelog = models.JSONField(_("journal des changements"), default=dict)
    csv_file = models.FileField(upload_to=release_path)
    geojson_file = models.FileField(upload_to=release_path)
    schema_csv_file = models.FileField(upload_to=release_path, blank=True)
    schema_name = models.CharField(max_length=100, blank=True)
    conformance = models.JSONField(_("conformité au schéma"), default=dict, blank=True)
    published_nonconforming = models.BooleanField(default=False)
    includes_osm_values = models.BooleanField(default=False)
    feature_count = models.PositiveIntegerField(default=0)
    sha256 = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="unique_release_number")
        ]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return f"{self.dataset.slug} v{self.number}"

    def files(self) -> dict[str, models.FieldFile]:
        files = {"csv": self.csv_file, "geojson": self.geojson_file}
        if self.schema_csv_file:
            files["schema.csv"] = self.schema_csv_file
        return files

    def file_url(self, kind: str) -> str:
        return reverse("coproduction:release-file", args=[self.dataset.slug, self.number, kind])
