"""Turning a dataset's accepted contributions into OSM changes (see `changes` for what an
export holds).

Contributions are applied in the order the data owner accepted them, onto the object as the
snapshot holds it: its tags are all kept, the mapped ones get the accepted values. Each
contribution that cannot go to OSM as it is gets a reason instead, for the report.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduction.models import Contribution, Dataset

from ..matching.config import MatchConfig, MatchConfigError
from ..matching.state import MISSING_IN_OSM
from ..matching.values import value_kind
from ..models import OsmObject
from ..tag_filters import ANY_VALUE, FilterError, TagFilterSet
from .changes import NewNode, ObjectEdit, OsmExport, Skipped, ToCheck
from .changeset import changeset_tags
from .errors import ExportRefused
from .licences import check_licence
from .tag_values import MAX_VALUE_LENGTH, differs, osm_value
from .targets import MatchedObjects

Kind = Contribution.Kind
Status = Contribution.Status


def build_export(dataset: Dataset) -> OsmExport:
    """The dataset's accepted contributions as OSM changes. Raises ExportRefused when the
    licence or the state of the reconciliation forbids any export."""
    check_licence(dataset)
    profile = dataset.parsed_profile
    try:
        config = MatchConfig.from_profile(profile)
        TagFilterSet.from_json(profile.osm["filters"])
    except (MatchConfigError, FilterError) as exc:
        raise ExportRefused(str(exc)) from exc
    targets = MatchedObjects(dataset)
    contributions = list(
        dataset.contributions.filter(status__in=[Status.ACCEPTED, Status.ACCEPTED_WITH_CHANGES])
        .select_related("feature")
        .order_by("decided_at", "pk")
    )
    targets.prefetch(c.feature.key for c in contributions if c.feature is not None)
    builder = _Builder(dataset, config, targets)
    for contribution in contributions:
        builder.add(contribution)
    return builder.result()


def _creation_tags(filters: list[dict]) -> dict[str, str]:
    """The tags that make a new node one of the dataset's kind: the first filter's precise
    values (a "*" value says nothing a new object could carry)."""
    return {key: value for key, value in filters[0].items() if value != ANY_VALUE}


class _Builder:
    def __init__(
        self,
        dataset: Dataset,
        config: MatchConfig,
        targets: MatchedObjects,
    ) -> None:
        self.targets = targets
        self.tag_map = dict(config.tag_map)
        if config.ref_field and config.ref_tag:
            self.tag_map.setdefault(config.ref_field, config.ref_tag)
        self.kinds = {
            name: value_kind(config.field_types.get(name), tag)
            for name, tag in self.tag_map.items()
        }
        self.new_node_tags = _creation_tags(dataset.parsed_profile.osm["filters"])
        self.export = OsmExport(dataset, changeset_tags(dataset))
        self.edits: dict[str, ObjectEdit] = {}
        self.created: dict[str, NewNode] = {}
        self.skipped_ids: set[int] = set()

    def add(self, contribution: Contribution) -> None:
        if contribution.kind == Kind.COMMENT:
            self.export.comments += 1
        elif contribution.kind == Kind.CLOSED:
            self._closed(contribution)
        elif contribution.kind == Kind.ADD:
            self._add(contribution)
        else:
            self._edit(contribution)

    def result(self) -> OsmExport:
        for edit in self.edits.values():
            if not edit.changed:
                self._skip_all(edit.contributions, _("OpenStreetMap a déjà ces valeurs"))
            else:
                self.export.modified.append(edit)
        self.export.created = list(self.created.values())
        self.export.skipped.sort(key=lambda item: item.contribution.pk)
        return self.export

    # Kinds of contribution ----------------------------------------------------------------
    def _edit(self, contribution: Contribution) -> None:
        feature = contribution.feature
        if feature is None or feature.is_removed:
            # Closed since, or gone from the portal's file: a mapper checks it on the ground.
            return self._skip(contribution, _("le lieu n’est plus dans le jeu de données"))
        if feature.key in self.created:
            # Already in the new node, which carries the feature's current values.
            self.created[feature.key].contributions.append(contribution)
            return None
        target = self.targets.resolve(feature.key)
        osm_object = target.osm_object
        if osm_object is None:
            return self._skip(contribution, target.reason)
        refusal = _refusal(osm_object, contribution)
        if refusal:
            return self._skip(contribution, refusal)
        tags = self._tags(contribution, contribution.final_changes, report_empty=True)
        position = _point(contribution.final_geometry)
        if not tags and position is None:
            if contribution.pk not in self.skipped_ids:
                self._skip(contribution, _("rien à reporter dans OpenStreetMap"))
            return None
        edit = self.edits.get(osm_object.ref)
        if edit is None:
            edit = self.edits[osm_object.ref] = ObjectEdit.of(osm_object, feature.key)
        elif edit.feature_key != feature.key:
            return self._skip(
                contribution,
                _("l’objet OSM %(osm)s correspond aussi au lieu « %(key)s » : à trancher")
                % {"osm": osm_object.ref, "key": edit.feature_key},
            )
        for tag, (kind, value) in tags.items():
            current = osm_object.tags.get(tag)
            edit.tags[tag] = value if differs(kind, value, current) else current
        if position is not None:
            edit.lat, edit.lon = position
        edit.contributions.append(contribution)
        return None

    def _add(self, contribution: Contribution) -> None:
        feature = contribution.feature
        if feature is None or feature.is_removed:
            return self._skip(contribution, _("le lieu ajouté n’est plus dans le jeu de données"))
        target = self.targets.resolve(feature.key)
        if target.osm_object is not None:
            return self._skip(
                contribution,
                _("ce lieu est déjà dans OpenStreetMap (%(osm)s) : complétez-le à la main")
                % {"osm": target.osm_object.ref},
            )
        if target.status != MISSING_IN_OSM:
            return self._skip(contribution, target.reason)
        if not self.new_node_tags:
            return self._skip(
                contribution,
                _("le premier filtre OSM du profil ne donne pas d’attribut précis pour un lieu"),
            )
        tags = self._tags(contribution, feature.properties, report_empty=False)
        node = NewNode(
            id=-(len(self.created) + 1),
            lat=round(feature.lat, 7),
            lon=round(feature.lon, 7),
            tags={**{tag: value for tag, (_kind, value) in tags.items()}, **self.new_node_tags},
            feature_key=feature.key,
            contributions=[contribution],
        )
        self.created[feature.key] = node
        return None

    def _closed(self, contribution: Contribution) -> None:
        feature = contribution.feature
        osm_ref = None
        if feature is not None:
            target = self.targets.resolve(feature.key)
            osm_ref = (
                target.osm_object.ref
                if target.osm_object is not None
                else self.targets.last_known_ref(feature.key)
            )
        name = (feature.name or feature.key) if feature is not None else ""
        self.export.to_check.append(ToCheck(contribution, name, osm_ref))

    # Helpers --------------------------------------------------------------------------------
    def _tags(
        self, contribution: Contribution, values: dict, *, report_empty: bool
    ) -> dict[str, tuple[str, str]]:
        """Tag → (kind, OSM value) for the mapped fields of `values`; the fields that cannot
        go to OSM as they are get a reason in the report."""
        tags: dict[str, tuple[str, str]] = {}
        unmapped = []
        for name, raw in values.items():
            tag = self.tag_map.get(name)
            if tag is None:
                unmapped.append(name)
                continue
            value = osm_value(self.kinds[name], raw)
            if not value:
                if report_empty:
                    self._skip(
                        contribution,
                        _(
                            "« %(field)s » vidé : l’attribut OSM %(tag)s n’est jamais supprimé "
                            "automatiquement"
                        )
                        % {"field": name, "tag": tag},
                    )
                continue
            if len(value) > MAX_VALUE_LENGTH:
                self._skip(
                    contribution,
                    _("« %(field)s » dépasse %(count)s caractères, la limite d’OpenStreetMap")
                    % {"field": name, "count": MAX_VALUE_LENGTH},
                )
                continue
            tags[tag] = (self.kinds[name], value)
        if report_empty and unmapped and not tags and contribution.final_geometry is None:
            self._skip(
                contribution,
                _("aucune information corrigée (%(fields)s) n’a d’équivalent OSM dans le profil")
                % {"fields": ", ".join(unmapped)},
            )
        return tags

    def _skip(self, contribution: Contribution, reason: str) -> None:
        self.export.skipped.append(Skipped(contribution, reason))
        self.skipped_ids.add(contribution.pk)

    def _skip_all(self, contributions: list[Contribution], reason: str) -> None:
        for contribution in contributions:
            self._skip(contribution, reason)


def _refusal(osm_object: OsmObject, contribution: Contribution) -> str:
    """Why this contribution cannot be written onto this object ("" when it can)."""
    if osm_object.needs_review:
        return _(
            "l’objet OSM %(osm)s a changé depuis le dernier rapprochement : relancez "
            "« reconcile » et vérifiez"
        ) % {"osm": osm_object.ref}
    if osm_object.osm_type == OsmObject.Type.RELATION:
        # A modified relation replaces the old one whole, members included, and the snapshot
        # does not keep the members: writing it would empty the relation.
        return _(
            "%(osm)s est une relation, dont l’instantané ne garde pas les membres : "
            "à reporter à la main dans un éditeur"
        ) % {"osm": osm_object.ref}
    if contribution.final_geometry is not None and osm_object.osm_type != OsmObject.Type.NODE:
        return _("%(osm)s est un chemin : sa forme n’est jamais déplacée automatiquement") % {
            "osm": osm_object.ref
        }
    if osm_object.osm_type == OsmObject.Type.WAY and not osm_object.node_refs:
        return _("l’instantané ne connaît pas les nœuds du chemin %(osm)s") % {
            "osm": osm_object.ref
        }
    return ""


def _point(geometry: dict | None) -> tuple[float, float] | None:
    """(lat, lon) of a proposed position."""
    if not geometry or geometry.get("type") != "Point":
        return None
    lon, lat = geometry["coordinates"]
    return round(float(lat), 7), round(float(lon), 7)
