"""Short French sentences that say why a pair was, or was not, matched."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .scoring import NAME_VETO, PairScore


def distance_text(pair: PairScore) -> str:
    if pair.distance_m == 0 and not pair.candidate.is_point:
        return _("à l’intérieur du contour OSM")
    return _("à %(distance)s m") % {"distance": round(pair.distance_m)}


def name_text(pair: PairScore) -> str:
    similarity = pair.name_similarity
    if similarity is None:
        return _("pas de nom à comparer")
    if similarity >= 1.0:
        return _("même nom")
    percent = {"percent": round(similarity * 100)}
    if similarity < NAME_VETO:
        return _("noms différents (%(percent)s %%)") % percent
    return _("nom proche (%(percent)s %%)") % percent


def pair_reasons(pair: PairScore) -> list[str]:
    reasons = [distance_text(pair), name_text(pair)]
    if pair.tags_compared:
        reasons.append(
            _("%(agreeing)s attribut(s) concordant(s) sur %(compared)s")
            % {"agreeing": pair.tags_agreeing, "compared": pair.tags_compared}
        )
    if pair.candidate.needs_review:
        reasons.append(_("l’objet OSM a changé depuis le dernier rapprochement : à revoir"))
    return reasons
