"""Recording a person's decision on a match, so that the next reconciliation applies it."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from coproduction.models import Dataset

from ..models import MatchDecision

OSM_REF = re.compile(r"(node|way|relation)/[1-9]\d*")


class DecisionError(ValueError):
    """A decision that cannot be recorded, with a message for the person who made it."""


def record_decision(
    dataset: Dataset,
    feature_key: str,
    osm_ref: str,
    action: str,
    *,
    user=None,
    note: str = "",
) -> MatchDecision:
    """Add a decision on the pair (feature, OSM object); earlier ones stay as history.

    `action` is "confirm" (this pair is right), "reject" (never match this pair) or
    "choose" (this candidate, among those of an ambiguous match).
    """
    if action not in MatchDecision.Action.values:
        raise DecisionError(
            _("Décision inconnue « %(action)s » : confirm, reject ou choose.") % {"action": action}
        )
    if not OSM_REF.fullmatch(osm_ref or ""):
        raise DecisionError(
            _("Identifiant OSM invalide « %(ref)s » : attendu node/123, way/45 ou relation/6.")
            % {"ref": osm_ref}
        )
    if not dataset.features.filter(key=feature_key).exists():
        raise DecisionError(
            _("Le jeu de données « %(dataset)s » n’a pas d’objet « %(key)s ».")
            % {"dataset": dataset.slug, "key": feature_key}
        )
    return MatchDecision.objects.create(
        dataset=dataset,
        feature_key=feature_key,
        osm_ref=osm_ref,
        action=action,
        note=note,
        decided_by=user if user is not None and user.is_authenticated else None,
    )
