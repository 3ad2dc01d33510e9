"""Which files we accept, and how osmium's errors become messages a person can act on."""

from __future__ import annotations

import bz2
import gzip
from pathlib import Path

from django.utils.translation import gettext as _

EXTRACT_SUFFIXES = (".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz")
CHANGE_SUFFIXES = (".osc", ".osc.gz", ".osc.bz2")
# How far into a file its root element must appear.
SNIFF_BYTES = 4096


class OsmFileError(Exception):
    """An OSM file that cannot be used as a whole; the message says what to do."""


def check_extract(path: Path) -> None:
    """Refuse, before reading anything, a missing file or one osmium would misread."""
    _check_exists(path)
    if not path.name.lower().endswith(EXTRACT_SUFFIXES):
        raise OsmFileError(
            _(
                "Format d’extrait OSM inconnu pour « %(name)s » : formats acceptés .osm.pbf, "
                ".osm, .osm.bz2 et .osm.gz."
            )
            % {"name": path.name}
        )
    if not path.name.lower().endswith("pbf") and "<osmChange" in _head(path):
        raise OsmFileError(
            _(
                "« %(name)s » est un fichier de modifications (osmChange), pas un extrait : "
                "chargez-le avec osm_apply_changes."
            )
            % {"name": path.name}
        )


def check_change_file(path: Path) -> None:
    _check_exists(path)
    if not path.name.lower().endswith(CHANGE_SUFFIXES):
        raise OsmFileError(
            _(
                "Format de fichier de modifications inconnu pour « %(name)s » : formats acceptés "
                ".osc, .osc.gz et .osc.bz2 (osmChange)."
            )
            % {"name": path.name}
        )
    if "<osmChange" not in _head(path):
        raise OsmFileError(
            _(
                "« %(name)s » n’est pas un fichier de modifications OSM : il doit commencer par "
                "un élément <osmChange>."
            )
            % {"name": path.name}
        )


def unreadable_extract(path: Path, exc: Exception) -> OsmFileError:
    return OsmFileError(
        _(
            "Extrait OSM illisible : %(error)s (fichier « %(name)s »). Le fichier est peut-être "
            "tronqué ou abîmé : téléchargez-le de nouveau. L’instantané précédent est conservé."
        )
        % {"error": exc, "name": path.name}
    )


def unreadable_changes(path: Path, exc: Exception) -> OsmFileError:
    return OsmFileError(
        _(
            "Fichier de modifications OSM illisible : %(error)s (fichier « %(name)s »). "
            "L’instantané n’a pas été modifié."
        )
        % {"error": exc, "name": path.name}
    )


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise OsmFileError(_("Fichier introuvable : « %(path)s ».") % {"path": path})


def _head(path: Path) -> str:
    """The beginning of the file as text, uncompressed; empty when it cannot be decoded (the
    reader will then say what is wrong with it)."""
    name = path.name.lower()
    opener = gzip.open if name.endswith(".gz") else bz2.open if name.endswith(".bz2") else open
    try:
        with opener(path, "rb") as stream:
            return stream.read(SNIFF_BYTES).decode("utf-8", errors="replace")
    except (OSError, EOFError, ValueError):
        return ""
