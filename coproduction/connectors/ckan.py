"""Push a release to a CKAN portal, through its action API with ckanapi.

Followed: CKAN's action API as in ckan/ckan `ckan/logic/action/{get,create,patch}.py` (2.9 to
2.11; `resource_patch` is `resource_update` over the current values) and ckanapi 4.11.
Every call is a POST to `{CKAN_URL}/api/action/<action>`, with the API token in the
`Authorization` header (ckanapi also sends `X-CKAN-API-Key` for older CKANs); answers are
`{"help", "success", "result"}` and ckanapi returns `result`.

1. `package_show` (JSON: id) finds the package and its resources;
2. for each file of the release, `resource_patch` (multipart: id, name, format, upload) when
   the target already knows the resource or the package has one with the same name, else
   `resource_create` (multipart: package_id, name, format, upload).
Matching by name makes a push that failed halfway safe to run again: it updates what the
first attempt created instead of adding duplicates.
"""

from __future__ import annotations

import io
from typing import Any

import requests
from ckanapi import RemoteCKAN
from ckanapi.errors import CKANAPIError, ServerIncompatibleError
from django.conf import settings
from django.utils.translation import gettext as _

from ..models import PortalTarget, Release
from .base import (
    JobLog,
    PortalNotConfigured,
    UnexpectedAnswer,
    network_errors,
    portal_session,
    release_files,
    timeout,
)


def push(release: Release, target: PortalTarget, log: JobLog) -> dict[str, str]:
    if not settings.CKAN_URL:
        raise PortalNotConfigured(_("Aucun portail CKAN n’est configuré (variable CKAN_URL)."))
    if not settings.CKAN_API_KEY:
        raise PortalNotConfigured(_("La clé d’API CKAN manque (variable CKAN_API_KEY)."))
    files = release_files(release)
    resource_ids: dict[str, str] = {}
    with RemoteCKAN(
        settings.CKAN_URL, apikey=settings.CKAN_API_KEY, session=portal_session()
    ) as ckan:
        package = _call(ckan, "package_show", {"id": target.portal_dataset_id})
        log("info", _("Jeu de données « %(name)s » trouvé sur CKAN.") % {"name": package["name"]})
        resources = package.get("resources") or []
        for file in files:
            upload = {"upload": (file.name, io.BytesIO(file.content), file.content_type)}
            fields = {"name": file.name, "format": file.format}
            existing = _existing_resource(resources, target.resource_ids.get(file.kind), file.name)
            if existing:
                result = _call(ckan, "resource_patch", {"id": existing, **fields}, upload)
                message = _("Fichier %(name)s remplacé (ressource %(id)s).")
            else:
                data = {"package_id": package["id"], **fields}
                result = _call(ckan, "resource_create", data, upload)
                message = _("Fichier %(name)s ajouté (ressource %(id)s).")
            resource_ids[file.kind] = result["id"]
            log("info", message % {"name": file.name, "id": result["id"]})
    return resource_ids


def _existing_resource(resources: list[dict], known_id: str | None, name: str) -> str | None:
    """The resource this file replaces: the one recorded on the target if the package still
    has it, else one with the same name (a resource created by hand, or by an earlier push)."""
    if known_id and any(r.get("id") == known_id for r in resources):
        return known_id
    return next((r["id"] for r in resources if r.get("name") == name), None)


def _call(
    ckan: RemoteCKAN, action: str, data: dict[str, Any], files: dict | None = None
) -> dict[str, Any]:
    try:
        return ckan.call_action(action, data, files=files, requests_kwargs={"timeout": timeout()})
    except requests.RequestException as error:
        raise network_errors(error) from error
    except (CKANAPIError, ServerIncompatibleError) as error:
        raise UnexpectedAnswer(str(error)[:300]) from error
