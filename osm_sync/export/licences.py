"""Which dataset licences allow their values to go into OpenStreetMap.

OpenStreetMap is under the ODbL: only data under the ODbL itself, a public-domain waiver
(CC0, PDDL) or the French Licence Ouverte (Etalab, 1.0 and 2.0, which allows reuse under the ODbL
with attribution) may be added to it. Anything else (CC-BY without a waiver, "NC"
licences, an unknown or missing licence) is refused rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext as _

from coproduction.models import Dataset

from .errors import ExportRefused

_COMPATIBLE = re.compile(
    r"etalab|licence-ouverte|license-ouverte|open-licence|(^|-)lo(-v?\d(\.\d)?)?$|odbl|odc-pddl|cc0|cc-zero"
)


def _normalised(licence: str) -> str:
    text = unicodedata.normalize("NFKD", licence).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9.]+", "-", text).strip("-")


def is_osm_compatible(licence: str) -> bool:
    return bool(_COMPATIBLE.search(_normalised(licence or "")))


def check_licence(dataset: Dataset) -> None:
    """Raise ExportRefused unless the dataset's values may be added to OpenStreetMap."""
    licence = (dataset.licence or "").strip()
    if not licence:
        raise ExportRefused(
            _(
                "Le jeu de données « %(title)s » n’a pas de licence : impossible de savoir si "
                "ses valeurs peuvent aller dans OpenStreetMap, export refusé. Indiquez sa "
                "licence (Licence Ouverte / etalab-2.0, ODbL ou CC0)."
            )
            % {"title": dataset.title}
        )
    if not is_osm_compatible(licence):
        raise ExportRefused(
            _(
                "La licence « %(licence)s » n’est pas compatible avec OpenStreetMap : export "
                "refusé. Seules la Licence Ouverte (etalab-2.0), l’ODbL et CC0 le permettent."
            )
            % {"licence": licence}
        )
