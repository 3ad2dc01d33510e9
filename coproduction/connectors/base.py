"""What every portal connector shares: the files of a release, the errors a push can meet, and
the log a push writes for the publisher.

A connector is a module with one function, `push(release, target, log) -> {file kind: resource
id}`. It raises a PortalError when the portal refused or could not be reached; `transient`
says whether trying again later may help (a portal down for maintenance) or not (a wrong API
key), so that the job retries only what is worth retrying.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from ..models import Release

# log(level, message): level is "info", "warning" or "error"; the message is for the publisher.
JobLog = Callable[[str, str], None]

FILE_FORMATS = {
    "csv": ("CSV", "text/csv"),
    "geojson": ("GeoJSON", "application/geo+json"),
    "schema.csv": ("CSV", "text/csv"),
}
DETAIL_MAX_CHARS = 300


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release, read once, sent as many times as retries need."""

    kind: str  # "csv", "geojson" or "schema.csv"
    name: str  # also the resource's name on the portal, stable from one release to the next
    format: str
    content_type: str
    content: bytes


def release_files(release: Release) -> list[ReleaseFile]:
    files = []
    for kind, field in release.files().items():
        with field.open("rb") as stream:
            content = stream.read()
        label, content_type = FILE_FORMATS[kind]
        files.append(ReleaseFile(kind, os.path.basename(field.name), label, content_type, content))
    return files


class PortalError(Exception):
    """A push that did not go through, with a message for the publisher."""

    transient = False

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PortalNotConfigured(PortalError):
    pass


class PortalUnreachable(PortalError):
    transient = True

    def __init__(self, error: Exception):
        detail = str(error)[:DETAIL_MAX_CHARS]
        super().__init__(_("Portail injoignable : %(error)s") % {"error": detail})


class PortalHTTPError(PortalError):
    """The portal answered with an error status. 5xx and 429 (too many requests) are worth
    trying again; another 4xx means the request itself must change (key, identifier)."""

    def __init__(self, status: int, detail: str):
        message = _("Le portail a répondu %(status)s : %(detail)s") % {
            "status": status,
            "detail": detail or _("(réponse vide)"),
        }
        if status in (401, 403):
            message += " " + _("Vérifiez la clé d’API du portail et ses droits sur ce jeu.")
        elif status == 404:
            message += " " + _("Vérifiez l’identifiant du jeu de données sur le portail.")
        super().__init__(message)
        self.status = status
        self.transient = status >= 500 or status == 429


class UnexpectedAnswer(PortalError):
    def __init__(self, detail: str):
        super().__init__(_("Réponse inattendue du portail : %(detail)s") % {"detail": detail})


def response_detail(text: str) -> str:
    """The useful part of an error answer: the portal's own message when it sent JSON, the
    title of an HTML error page (a proxy's), else the start of the text."""
    title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        text = title[1]
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict):
            error = error.get("message") or error
        detail = error or data.get("message") or data
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()
    return text[:DETAIL_MAX_CHARS]


def _raise_for_status(response: requests.Response, *args, **kwargs) -> None:
    if response.status_code >= 400:
        raise PortalHTTPError(response.status_code, response_detail(response.text))


def portal_session(headers: dict[str, str] | None = None) -> requests.Session:
    """A session whose error answers raise PortalHTTPError with the portal's status, before a
    client library can turn them into exceptions that forget it."""
    session = requests.Session()
    session.headers.update(headers or {})
    session.hooks["response"].append(_raise_for_status)
    return session


def timeout() -> float:
    return settings.PORTAL_TIMEOUT


def network_errors(error: requests.RequestException) -> PortalError:
    """Connection failures and timeouts may pass; a malformed URL will not."""
    if isinstance(error, requests.ConnectionError | requests.Timeout):
        return PortalUnreachable(error)
    return PortalNotConfigured(_("Adresse du portail invalide : %(error)s") % {"error": error})
