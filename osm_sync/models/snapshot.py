"""The snapshot of OpenStreetMap objects that the datasets are compared with.

Only the objects that match some dataset profile's `osm.filters` are kept: a country extract
holds millions of objects, the reconciliation needs a few thousand. Geometry is GeoJSON plus
indexed bounding-box columns, as for features, so that no spatial database is needed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OsmSnapshot(models.Model):
    """One loaded extract, brought forward by change files. Exactly one is current."""

    source_name = models.CharField(_("extrait"), max_length=500)
    extract_timestamp = models.DateTimeField(_("date des données"), null=True, blank=True)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)
    is_current = models.BooleanField(_("courant"), default=False)
    # The filters the extract was read with: change files are filtered the same way, so that
    # the snapshot stays the same selection of objects as it moves forward.
    filters = models.JSONField(_("filtres"), default=list)
    # The area the extract covers (west, south, east, north): objects that a change file
    # creates elsewhere do not belong to this snapshot.
    area_bbox = models.JSONField(_("emprise"), null=True, blank=True)
    node_count = models.PositiveIntegerField(default=0)
    way_count = models.PositiveIntegerField(default=0)
    relation_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(
        default=0, help_text=_("Objets retenus par les filtres mais sans géométrie utilisable.")
    )
    change_files_applied = models.PositiveIntegerField(default=0)
    last_change_file = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("instantané OpenStreetMap")
        verbose_name_plural = _("instantanés OpenStreetMap")

    def __str__(self) -> str:
        return self.source_name

    @property
    def object_count(self) -> int:
        return self.node_count + self.way_count + self.relation_count


class OsmObject(models.Model):
    """An OSM node, way or relation of a snapshot, with its tags and geometry."""

    class Type(models.TextChoices):
        NODE = "node", _("nœud")
        WAY = "way", _("chemin")
        RELATION = "relation", _("relation")

    snapshot = models.ForeignKey(OsmSnapshot, on_delete=models.CASCADE, related_name="osm_objects")
    osm_type = models.CharField(max_length=8, choices=Type.choices)
    osm_id = models.BigIntegerField()
    version = models.PositiveIntegerField(default=0)
    timestamp = models.DateTimeField(null=True, blank=True)
    tags = models.JSONField(default=dict)
    geometry = models.JSONField()
    geometry_type = models.CharField(max_length=20)
    # The node ids of a way, so that a change file that moves one of its nodes can reshape it.
    node_refs = models.JSONField(default=list, blank=True)
    lon = models.FloatField()
    lat = models.FloatField()
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    needs_review = models.BooleanField(
        _("à revoir"),
        default=False,
        help_text=_("Modifié par un fichier de changements depuis le dernier rapprochement."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "osm_type", "osm_id"], name="unique_osm_object"
            )
        ]
        indexes = [
            models.Index(
                fields=["snapshot", "min_lon", "max_lon", "min_lat", "max_lat"],
                name="osm_object_bbox_idx",
            )
        ]
        verbose_name = _("objet OpenStreetMap")
        verbose_name_plural = _("objets OpenStreetMap")

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        """The id as OSM writes it, e.g. "way/45": the form the report and decisions use."""
        return f"{self.osm_type}/{self.osm_id}"


class OsmNodeLocation(models.Model):
    """Where each node of a kept way was: change files name the nodes of a modified way but
    rarely carry the locations of those that did not move."""

    snapshot = models.ForeignKey(
        OsmSnapshot, on_delete=models.CASCADE, related_name="node_locations"
    )
    node_id = models.BigIntegerField()
    lon = models.FloatField()
    lat = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "node_id"], name="unique_osm_node_location")
        ]

    def __str__(self) -> str:
        return f"node/{self.node_id}"
