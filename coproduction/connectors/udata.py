"""Push a release to data.gouv.fr (or another udata portal), through udata's API v1.

Followed: opendatateam/udata, `udata/core/dataset/api.py` (API v1, 2024–2025, the API that
guides.data.gouv.fr documents), with the API key in the `X-API-KEY` header and files sent as
multipart field `file`:

- `GET  /api/1/datasets/{dataset}/`: the dataset, its id and resources (`{dataset}`: id or slug);
- owned dataset (our organisation publishes it):
  - `POST /api/1/datasets/{dataset}/resources/{rid}/upload/` replaces a resource's file,
  - `POST /api/1/datasets/{dataset}/upload/` uploads the file of a new resource,
  - `PUT  /api/1/datasets/{dataset}/resources/{rid}/` sets title, format, type and `schema`;
- someone else's dataset: *community resources*, proposed alongside it:
  - `POST /api/1/datasets/community_resources/{crid}/upload/` replaces a file,
  - `POST /api/1/datasets/{dataset}/upload/community/` uploads a new one,
  - `PUT  /api/1/datasets/community_resources/{crid}/` sets its metadata (with `dataset`).

udata validates a resource PUT as a whole form (title, type, filetype and url are required),
so the PUT sends back what the upload answered, with our changes.
"""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from ..models import PortalTarget, Release
from .base import (
    JobLog,
    PortalHTTPError,
    PortalNotConfigured,
    ReleaseFile,
    UnexpectedAnswer,
    network_errors,
    portal_session,
    release_files,
    timeout,
)

# Our bundled Table Schemas and their names on schema.data.gouv.fr.
UDATA_SCHEMAS = {"mednum-1.0.2": "LaMednum/standard-mediation-num"}
# What a resource PUT must carry over from the resource as the portal knows it.
KEPT_FIELDS = (
    "title",
    "description",
    "type",
    "filetype",
    "url",
    "format",
    "mime",
    "filesize",
    "checksum",
)


def schema_for(release: Release, target: PortalTarget) -> str:
    return target.schema_name or UDATA_SCHEMAS.get(release.schema_name, "")


def push(release: Release, target: PortalTarget, log: JobLog) -> dict[str, str]:
    if not settings.UDATA_URL:
        raise PortalNotConfigured(_("Aucun portail udata n’est configuré (variable UDATA_URL)."))
    if not settings.UDATA_API_KEY:
        raise PortalNotConfigured(_("La clé d’API udata manque (variable UDATA_API_KEY)."))
    client = _Client(settings.UDATA_URL, settings.UDATA_API_KEY)
    with client.session:
        dataset = client.call("GET", f"datasets/{target.portal_dataset_id}/")
        title = dataset.get("title") or dataset["id"]
        log("info", _("Jeu de données « %(title)s » trouvé sur udata.") % {"title": title})
        publish = _publish_owned if target.owned_by_organisation else _publish_community
        resource_ids = {}
        for file in release_files(release):
            schema = schema_for(release, target) if file.kind == "schema.csv" else ""
            known_id = target.resource_ids.get(file.kind)
            resource_ids[file.kind] = publish(client, dataset, file, known_id, schema, log)
    return resource_ids


def _publish_owned(
    client: _Client, dataset: dict, file: ReleaseFile, known_id: str | None, schema: str, log
) -> str:
    base = f"datasets/{dataset['id']}"
    rid = _existing_resource(dataset.get("resources") or [], known_id, file.name)
    if rid:
        uploaded = client.upload(f"{base}/resources/{rid}/upload/", file)
        message = _("Fichier %(name)s remplacé (ressource %(id)s).")
    else:
        uploaded = client.upload(f"{base}/upload/", file)
        rid = uploaded["id"]
        message = _("Fichier %(name)s ajouté (ressource %(id)s).")
    client.call("PUT", f"{base}/resources/{rid}/", json=_metadata(uploaded, file, schema))
    log("info", message % {"name": file.name, "id": rid})
    return rid


def _publish_community(
    client: _Client, dataset: dict, file: ReleaseFile, known_id: str | None, schema: str, log
) -> str:
    """Only the community resources this target created are replaced: those of other users
    with the same title are not ours to overwrite."""
    uploaded = None
    if known_id:
        try:
            uploaded = client.upload(f"datasets/community_resources/{known_id}/upload/", file)
        except PortalHTTPError as error:
            if error.status != 404:
                raise
            log(
                "warning",
                _("La ressource communautaire %(id)s n’existe plus : une nouvelle est créée.")
                % {"id": known_id},
            )
    if uploaded is None:
        uploaded = client.upload(f"datasets/{dataset['id']}/upload/community/", file)
        message = _("Fichier %(name)s proposé comme ressource communautaire (%(id)s).")
    else:
        message = _("Ressource communautaire %(id)s mise à jour avec %(name)s.")
    crid = uploaded["id"]
    metadata = {**_metadata(uploaded, file, schema), "dataset": dataset["id"]}
    client.call("PUT", f"datasets/community_resources/{crid}/", json=metadata)
    log("info", message % {"name": file.name, "id": crid})
    return crid


def _existing_resource(resources: list[dict], known_id: str | None, title: str) -> str | None:
    """The resource recorded on the target if the dataset still has it, else one with the same
    title, as udata names an uploaded resource after its file."""
    if known_id and any(r.get("id") == known_id for r in resources):
        return known_id
    return next((r["id"] for r in resources if r.get("title") == title), None)


def _metadata(uploaded: dict, file: ReleaseFile, schema: str) -> dict[str, Any]:
    metadata = {key: uploaded[key] for key in KEPT_FIELDS if key in uploaded}
    metadata.update(title=file.name, format=file.format.lower(), type="main")
    if schema:
        metadata["schema"] = {"name": schema}
    return metadata


class _Client:
    def __init__(self, url: str, api_key: str):
        self.api = url.rstrip("/") + "/api/1/"
        self.session = portal_session({"X-API-KEY": api_key, "Accept": "application/json"})

    def call(self, method: str, path: str, **kwargs) -> dict[str, Any]:
        try:
            response = self.session.request(method, self.api + path, timeout=timeout(), **kwargs)
        except requests.RequestException as error:
            raise network_errors(error) from error
        try:
            data = response.json()
        except ValueError as error:
            raise UnexpectedAnswer(response.text[:300]) from error
        if not isinstance(data, dict) or "id" not in data:
            raise UnexpectedAnswer(response.text[:300])
        return data

    def upload(self, path: str, file: ReleaseFile) -> dict[str, Any]:
        return self.call("POST", path, files={"file": (file.name, file.content, file.content_type)})
