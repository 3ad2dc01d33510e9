"""Reading recorded portal answers and the requests our connectors sent."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "portal_responses"
CKAN_URL = "https://trouver.datasud.fr"
UDATA_URL = "https://www.data.gouv.fr"
CKAN_ACTION = f"{CKAN_URL}/api/action"
UDATA_API = f"{UDATA_URL}/api/1"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def multipart_fields(content_type: str, body: bytes) -> dict[str, str | tuple[str, bytes]]:
    """Form fields as text, files as (file name, content)."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    fields: dict[str, str | tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        filename = part.get_filename()
        fields[name] = (filename, content) if filename else content.decode()
    return fields


def request_fields(request) -> dict[str, str | tuple[str, bytes]]:
    return multipart_fields(request.headers["Content-Type"], request.body)


def sequence(mock) -> list[tuple[str, str]]:
    return [(call.request.method, call.request.url) for call in mock.calls]


def messages(job) -> list[str]:
    return [line["message"] for line in job.log]
