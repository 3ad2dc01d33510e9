"""Fetching the bytes of a file to import, from a path, an upload or a URL, within a size limit."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .errors import ImportFileError


@dataclass(frozen=True)
class SourceFile:
    name: str
    content: bytes


def _too_large(size: int | None = None) -> ImportFileError:
    limit = filesizeformat(settings.IMPORT_MAX_BYTES)
    if size:
        return ImportFileError(
            _("Le fichier fait %(size)s, au-delà de la limite de %(limit)s.")
            % {"size": filesizeformat(size), "limit": limit}
        )
    return ImportFileError(_("Le fichier dépasse la limite de %(limit)s.") % {"limit": limit})


def _read_limited(stream: BinaryIO) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_large()
    return data


def from_path(path: str | Path) -> SourceFile:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_BYTES:
            raise _too_large(size)
        with path.open("rb") as stream:
            return SourceFile(path.name, _read_limited(stream))
    except FileNotFoundError as exc:
        raise ImportFileError(_("Fichier introuvable : %(path)s") % {"path": path}) from exc
    except IsADirectoryError as exc:
        raise ImportFileError(
            _("« %(path)s » est un dossier, pas un fichier.") % {"path": path}
        ) from exc
    except PermissionError as exc:
        raise ImportFileError(_("Lecture interdite : %(path)s") % {"path": path}) from exc


def from_upload(upload) -> SourceFile:
    """A Django UploadedFile."""
    if upload.size and upload.size > settings.IMPORT_MAX_BYTES:
        raise _too_large(upload.size)
    return SourceFile(upload.name, _read_limited(upload))


def from_url(url: str) -> SourceFile:
    if not url.lower().startswith(("http://", "https://")):
        raise ImportFileError(_("Seules les adresses http:// et https:// sont acceptées."))
    request = urllib.request.Request(url, headers={"User-Agent": "CarteCommune/0.1 (import)"})
    try:
        with urllib.request.urlopen(request, timeout=settings.IMPORT_URL_TIMEOUT) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > settings.IMPORT_MAX_BYTES:
                raise _too_large(int(length))
            content = _read_limited(response)
    except urllib.error.HTTPError as exc:
        raise ImportFileError(
            _("Le serveur a répondu %(code)s pour %(url)s.") % {"code": exc.code, "url": url}
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ImportFileError(
            _("Impossible de télécharger %(url)s : %(reason)s") % {"url": url, "reason": reason}
        ) from exc
    name = url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0] or "download"
    return SourceFile(name, content)
