"""Reconciliation runs, their matches, and the human decisions that outlive them.

A run is recomputed from scratch each time; what a person decided is not. Decisions are keyed
by what stays stable between runs (the dataset, the feature's key and the OSM id), never by a
Match row, so that the next run can apply them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchStatus(models.TextChoices):
    MATCHED = "matched", _("rapproché")
    AMBIGUOUS = "ambiguous", _("ambigu")
    MISSING_IN_OSM = "missing_in_osm", _("absent d’OpenStreetMap")
    MISSING_IN_DATASET = "missing_in_dataset", _("absent du jeu de données")


class Reconciliation(models.Model):
    """One run of the matching engine for a dataset against the current snapshot."""

    dataset = models.ForeignKey(
        "coproduction.Dataset", on_delete=models.CASCADE, related_name="reconciliations"
    )
    snapshot = models.ForeignKey(
        "osm_sync.OsmSnapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    feature_count = models.PositiveIntegerField(default=0)
    candidate_count = models.PositiveIntegerField(default=0)
    # Matches per status, and the groups of probable duplicates found inside the dataset.
    counts = models.JSONField(default=dict)
    duplicates = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        verbose_name = _("rapprochement")
        verbose_name_plural = _("rapprochements")

    def __str__(self) -> str:
        return f"{self.dataset} — {self.created_at:%Y-%m-%d %H:%M}"


class Match(models.Model):
    """One line of a reconciliation report: a feature, an OSM object, or a pair of both."""

    reconciliation = models.ForeignKey(
        Reconciliation, on_delete=models.CASCADE, related_name="matches"
    )
    # NULL, not "", for the side a line does not have: the report's `id` and `osm` are null.
    feature_key = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001
    osm_ref = models.CharField(max_length=40, null=True, blank=True)  # noqa: DJ001
    status = models.CharField(max_length=20, choices=MatchStatus.choices)
    candidates = models.JSONField(default=list, blank=True)
    score = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    differences = models.JSONField(default=list, blank=True)

    class Meta:
        indexes = [models.Index(fields=["reconciliation", "status"], name="match_status_idx")]
        verbose_name = _("correspondance")
        verbose_name_plural = _("correspondances")

    def __str__(self) -> str:
        return f"{self.feature_key or '—'} ↔ {self.osm_ref or '—'} ({self.status})"


class MatchDecision(models.Model):
    """A person's word on a pair. Decisions are only ever added: the latest one for a pair is
    the one in force, and the earlier ones stay as the history of who decided what."""

    class Action(models.TextChoices):
        CONFIRM = "confirm", _("confirmer")
        REJECT = "reject", _("rejeter")
        CHOOSE = "choose", _("choisir ce candidat")

    dataset = models.ForeignKey(
        "coproduction.Dataset", on_delete=models.CASCADE, related_name="match_decisions"
    )
    feature_key = models.CharField(max_length=255)
    osm_ref = models.CharField(max_length=40)
    action = models.CharField(max_length=10, choices=Action.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "decided_at", "pk"]
        indexes = [
            models.Index(fields=["dataset", "feature_key"], name="match_decision_feature_idx")
        ]
        verbose_name = _("décision de rapprochement")
        verbose_name_plural = _("décisions de rapprochement")

    def __str__(self) -> str:
        return f"{self.feature_key} ↔ {self.osm_ref}: {self.action}"
