"""What the export command tells its user, in French: what was written, what was left out
and why, and which places to check on the ground."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduction.models import Contribution

from .changes import OsmExport


def report_lines(export: OsmExport) -> list[str]:
    lines = [
        _(
            "%(modified)s objet(s) OSM modifié(s), %(created)s créé(s), aucun supprimé, "
            "d’après %(count)s contribution(s) acceptée(s)."
        )
        % {
            "modified": len(export.modified),
            "created": len(export.created),
            "count": export.exported_contributions,
        }
    ]
    if export.skipped:
        lines.append(_("Non exporté :"))
        lines += [f"  - {describe(item.contribution)} : {item.reason}" for item in export.skipped]
    if export.to_check:
        lines.append(_("Lieux signalés fermés ou disparus, à vérifier (rien n’est supprimé) :"))
        lines += [
            f"  - {describe(item.contribution)} : {item.osm_ref or _('objet OSM inconnu')}"
            for item in export.to_check
        ]
    if export.comments:
        lines.append(
            ngettext(
                "%(count)s commentaire accepté, sans changement à exporter.",
                "%(count)s commentaires acceptés, sans changement à exporter.",
                export.comments,
            )
            % {"count": export.comments}
        )
    return lines


def describe(contribution: Contribution) -> str:
    """How the report names a contribution, e.g. "contribution n° 12 (nouvelle position,
    « École des Carmes »)": the id finds it in the review pages."""
    feature = contribution.feature
    place = (feature.name or feature.key) if feature is not None else _("lieu inconnu")
    return _("contribution n° %(id)s (%(kind)s, « %(place)s »)") % {
        "id": contribution.pk,
        "kind": contribution.get_kind_display(),
        "place": place,
    }
