from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..quality import ISSUE_LABELS


class Feature(models.Model):
    """A place of a dataset, with its current state denormalised for fast map queries.

    Its identity (`key`) comes from the profile's `id_field`, so that it survives re-imports;
    every state it went through is a FeatureVersion.
    """

    dataset = models.ForeignKey("Dataset", on_delete=models.CASCADE, related_name="features")
    key = models.CharField(_("identifiant"), max_length=255)
    name = models.CharField(_("nom"), max_length=300, blank=True)
    row_number = models.PositiveIntegerField(_("ligne dans le fichier source"), default=0)
    properties = models.JSONField(_("attributs"), default=dict)
    geometry = models.JSONField(_("géométrie"))
    geometry_type = models.CharField(max_length=20, default="Point")
    # A point on the feature (the point itself, or a representative point of a line/polygon)
    # and the bounding box, as plain indexed columns: no spatial database is needed.
    lon = models.FloatField()
    lat = models.FloatField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    quality_issues = models.JSONField(_("problèmes de qualité"), default=list, blank=True)
    issue_count = models.PositiveSmallIntegerField(default=0)
    # Space-separated codes of quality_issues, so that the list can filter on them with a
    # plain LIKE on every database (JSON containment is not portable to SQLite).
    issue_codes = models.CharField(max_length=300, blank=True, default="")
    search_text = models.TextField(blank=True, default="")
    content_hash = models.CharField(max_length=32)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_removed = models.BooleanField(_("retiré du jeu de données"), default=False)
    # Where each attribute's current value came from, when not from the portal file:
    # {"field": {"source": "contribution" | "osm", "contribution": id}}. Releases honour it
    # (OpenStreetMap values are ODbL).
    provenance = models.JSONField(default=dict, blank=True)
    first_version = models.ForeignKey("DatasetVersion", on_delete=models.PROTECT, related_name="+")
    last_version = models.ForeignKey(
        "DatasetVersion",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Dernière version du jeu de données qui a changé cet objet."),
    )

    class Meta:
        ordering = ["dataset", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "key"], name="unique_feature_key")
        ]
        indexes = [
            # Cover the visible-area query and the list, for the features still in the dataset.
            # Partial indexes: SQLite cannot use an index column for Django's "NOT is_removed".
            models.Index(
                fields=["dataset", "min_lon", "max_lon", "min_lat", "max_lat"],
                name="feature_bbox_active_idx",
                condition=models.Q(is_removed=False),
            ),
            models.Index(
                fields=["dataset", "row_number"],
                name="feature_row_active_idx",
                condition=models.Q(is_removed=False),
            ),
        ]
        verbose_name = _("objet")
        verbose_name_plural = _("objets")

    def __str__(self) -> str:
        return self.name or self.key

    def snapshot(
        self,
        change: str,
        *,
        changed_fields: list[str] | None = None,
        dataset_version=None,
        contribution=None,
    ) -> FeatureVersion:
        """An unsaved history entry of the feature as it is now, numbered with its version."""
        return FeatureVersion(
            feature=self,
            dataset_version=dataset_version,
            contribution=contribution,
            number=self.version,
            change=change,
            properties=self.properties,
            geometry=self.geometry,
            quality_issues=self.quality_issues,
            changed_fields=changed_fields or [],
        )

    def issue_labels(self) -> list[dict]:
        return [
            {**problem, "label": str(ISSUE_LABELS.get(problem["code"], problem["code"]))}
            for problem in self.quality_issues
        ]


class FeatureVersion(models.Model):
    """One state of a feature. Nothing is overwritten: each import that changes a feature adds
    one of these, and so will each accepted contribution."""

    class Change(models.TextChoices):
        ADDED = "added", _("ajouté")
        CHANGED = "changed", _("modifié")
        REMOVED = "removed", _("retiré")
        RESTORED = "restored", _("réapparu")
        CONTRIBUTED = "contributed", _("modifié par une contribution")

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="versions")
    dataset_version = models.ForeignKey(
        "DatasetVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feature_versions",
    )
    contribution = models.ForeignKey(
        "Contribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feature_versions",
    )
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=12, choices=Change.choices)
    properties = models.JSONField(default=dict)
    geometry = models.JSONField()
    quality_issues = models.JSONField(default=list, blank=True)
    changed_fields = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["feature", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "number"], name="unique_feature_version")
        ]
        verbose_name = _("version d’objet")
        verbose_name_plural = _("versions d’objets")

    def __str__(self) -> str:
        return f"{self.feature} v{self.number}"
