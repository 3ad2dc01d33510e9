"""Turning bytes into text: portal files come in UTF-8 (with or without BOM) or Windows-1252."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .errors import ImportFileError

# Signatures of common binary formats people upload by mistake.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "ZIP / XLSX / ODS",
    b"%PDF": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"\xd0\xcf\x11\xe0": "Excel 97 (XLS)",
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"SQLite format 3": "SQLite",
}


def decode(content: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ImportFileError for empty or binary content."""
    if not content.strip():
        raise ImportFileError(_("Le fichier est vide."))
    for signature, kind in _BINARY_SIGNATURES.items():
        if content.startswith(signature):
            raise ImportFileError(
                _(
                    "Ce fichier est au format %(kind)s : enregistrez-le en CSV, GeoJSON ou JSON "
                    "avant de l’importer."
                )
                % {"kind": kind}
            )
    head = content[:65536]
    if b"\x00" in head:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return content.decode("utf-16"), "utf-16"
            except UnicodeDecodeError:
                pass
        raise ImportFileError(
            _(
                "Ce fichier n’est pas un fichier texte (données binaires). "
                "Formats acceptés : CSV, GeoJSON, JSON."
            )
        )
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1252")
        encoding = "cp1252"
    except UnicodeDecodeError:
        text = content.decode("latin-1")
        encoding = "latin-1"
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 10:
        raise ImportFileError(
            _(
                "Ce fichier n’est pas un fichier texte (données binaires). "
                "Formats acceptés : CSV, GeoJSON, JSON."
            )
        )
    return text, encoding
