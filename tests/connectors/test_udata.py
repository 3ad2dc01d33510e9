"""Pushing a release to data.gouv.fr (udata API v1): the exact calls, against recorded answers."""

from __future__ import annotations

import hashlib
import json

import pytest

from coproduction.connectors.jobs import create_push_jobs
from coproduction.models import PortalTarget, PushJob
from coproduction.tasks import push_release_job

from .helpers import UDATA_API, messages, recorded, request_fields, sequence

pytestmark = pytest.mark.django_db

SLUG = "lieux-dinclusion-numerique-en-region-sud"
DATASET_ID = "62a1f3c5e4b0a1d2c3b4a596"
DATASET = f"{UDATA_API}/datasets/{DATASET_ID}"
OLD_CSV = "8c7f2d1e-5b4a-4c3d-9e8f-7a6b5c4d3e2f"
NEW_GEOJSON = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9"
NEW_SCHEMA = "0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"
COMMUNITY = f"{UDATA_API}/datasets/community_resources"
OWN_CSV = "4b5c6d7e-8f9a-4b0c-8d1e-2f3a4b5c6d7e"
OWN_GEOJSON = "5c6d7e8f-9a0b-4c1d-9e2f-3a4b5c6d7e8f"
OWN_SCHEMA = "6d7e8f9a-0b1c-4d2e-8f3a-4b5c6d7e8f9a"
MEDNUM = {"name": "LaMednum/standard-mediation-num"}


def udata_target(release, **fields) -> PortalTarget:
    return PortalTarget.objects.create(
        dataset=release.dataset, kind=PortalTarget.Kind.UDATA, portal_dataset_id=SLUG, **fields
    )


def uploaded_files(portal, indexes) -> list[tuple[str, str]]:
    files = [request_fields(portal.calls[i].request)["file"] for i in indexes]
    return [(name, hashlib.sha256(content).hexdigest()) for name, content in files]


def put_bodies(portal, indexes) -> list[dict]:
    return [json.loads(portal.calls[i].request.body) for i in indexes]


def test_owned_dataset_replaces_a_file_and_adds_the_others(release, portal):
    """The CSV already exists on the dataset (same title): its file is replaced. The GeoJSON
    and the national-schema CSV are new resources; the latter declares its schema."""
    target = udata_target(release)
    portal.get(f"{UDATA_API}/datasets/{SLUG}/", json=recorded("udata_dataset.json"))
    portal.post(
        f"{DATASET}/resources/{OLD_CSV}/upload/", json=recorded("udata_upload_replace_csv.json")
    )
    portal.put(f"{DATASET}/resources/{OLD_CSV}/", json=recorded("udata_resource_put_csv.json"))
    portal.post(f"{DATASET}/upload/", json=recorded("udata_upload_new_geojson.json"))
    portal.put(
        f"{DATASET}/resources/{NEW_GEOJSON}/", json=recorded("udata_resource_put_geojson.json")
    )
    portal.post(f"{DATASET}/upload/", json=recorded("udata_upload_new_schema.json"))
    portal.put(
        f"{DATASET}/resources/{NEW_SCHEMA}/", json=recorded("udata_resource_put_schema.json")
    )
    [job] = create_push_jobs(release)

    assert push_release_job(job.pk) == PushJob.Status.SUCCEEDED

    assert sequence(portal) == [
        ("GET", f"{UDATA_API}/datasets/{SLUG}/"),
        ("POST", f"{DATASET}/resources/{OLD_CSV}/upload/"),
        ("PUT", f"{DATASET}/resources/{OLD_CSV}/"),
        ("POST", f"{DATASET}/upload/"),
        ("PUT", f"{DATASET}/resources/{NEW_GEOJSON}/"),
        ("POST", f"{DATASET}/upload/"),
        ("PUT", f"{DATASET}/resources/{NEW_SCHEMA}/"),
    ]
    assert {call.request.headers["X-API-KEY"] for call in portal.calls} == {"udata-test-key"}
    assert uploaded_files(portal, [1, 3, 5]) == [
        ("inclusion.csv", release.sha256["csv"]),
        ("inclusion.geojson", release.sha256["geojson"]),
        ("inclusion-mednum-1.0.2.csv", release.sha256["schema.csv"]),
    ]
    csv_put, geojson_put, schema_put = put_bodies(portal, [2, 4, 6])
    assert [(b["title"], b["format"], b["type"]) for b in (csv_put, geojson_put, schema_put)] == [
        ("inclusion.csv", "csv", "main"),
        ("inclusion.geojson", "geojson", "main"),
        ("inclusion-mednum-1.0.2.csv", "csv", "main"),
    ]
    assert schema_put["schema"] == MEDNUM
    assert "schema" not in csv_put and "schema" not in geojson_put
    # udata validates the whole resource form: what the upload answered is sent back.
    replaced = recorded("udata_upload_replace_csv.json")
    assert (csv_put["url"], csv_put["filetype"]) == (replaced["url"], "file")
    target.refresh_from_db()
    assert target.resource_ids == {"csv": OLD_CSV, "geojson": NEW_GEOJSON, "schema.csv": NEW_SCHEMA}


def test_someone_elses_dataset_gets_community_resources(release, portal):
    """Our CSV was proposed by an earlier push: its file is replaced. The two other files become
    new community resources of the dataset."""
    target = udata_target(
        release,
        owned_by_organisation=False,
        resource_ids={"csv": OWN_CSV},
        schema_name="LaMednum/standard-mediation-num",
    )
    portal.get(f"{UDATA_API}/datasets/{SLUG}/", json=recorded("udata_dataset.json"))
    portal.post(
        f"{COMMUNITY}/{OWN_CSV}/upload/", json=recorded("udata_community_upload_replace_csv.json")
    )
    portal.put(f"{COMMUNITY}/{OWN_CSV}/", json=recorded("udata_community_put_csv.json"))
    portal.post(
        f"{DATASET}/upload/community/", json=recorded("udata_community_upload_new_geojson.json")
    )
    portal.put(f"{COMMUNITY}/{OWN_GEOJSON}/", json=recorded("udata_community_put_geojson.json"))
    portal.post(
        f"{DATASET}/upload/community/", json=recorded("udata_community_upload_new_schema.json")
    )
    portal.put(f"{COMMUNITY}/{OWN_SCHEMA}/", json=recorded("udata_community_put_schema.json"))
    [job] = create_push_jobs(release)

    assert push_release_job(job.pk) == PushJob.Status.SUCCEEDED

    assert sequence(portal) == [
        ("GET", f"{UDATA_API}/datasets/{SLUG}/"),
        ("POST", f"{COMMUNITY}/{OWN_CSV}/upload/"),
        ("PUT", f"{COMMUNITY}/{OWN_CSV}/"),
        ("POST", f"{DATASET}/upload/community/"),
        ("PUT", f"{COMMUNITY}/{OWN_GEOJSON}/"),
        ("POST", f"{DATASET}/upload/community/"),
        ("PUT", f"{COMMUNITY}/{OWN_SCHEMA}/"),
    ]
    assert [name for name, _sha in uploaded_files(portal, [1, 3, 5])] == [
        "inclusion.csv",
        "inclusion.geojson",
        "inclusion-mednum-1.0.2.csv",
    ]
    bodies = put_bodies(portal, [2, 4, 6])
    assert [(b["dataset"], b["title"], b["format"]) for b in bodies] == [
        (DATASET_ID, "inclusion.csv", "csv"),
        (DATASET_ID, "inclusion.geojson", "geojson"),
        (DATASET_ID, "inclusion-mednum-1.0.2.csv", "csv"),
    ]
    assert [b.get("schema") for b in bodies] == [None, None, MEDNUM]
    target.refresh_from_db()
    assert target.resource_ids == {"csv": OWN_CSV, "geojson": OWN_GEOJSON, "schema.csv": OWN_SCHEMA}
    job.refresh_from_db()
    assert (
        f"Fichier inclusion.geojson proposé comme ressource communautaire ({OWN_GEOJSON})."
        in messages(job)
    )


def test_a_community_resource_deleted_on_the_portal_is_proposed_again(release, portal):
    """A moderator deleted our GeoJSON community resource: replacing it answers 404, so the file
    is proposed again as a new one instead of failing the push."""
    target = udata_target(
        release, owned_by_organisation=False, resource_ids={"csv": OWN_CSV, "geojson": "d3l3t3d"}
    )
    portal.get(f"{UDATA_API}/datasets/{SLUG}/", json=recorded("udata_dataset.json"))
    portal.post(
        f"{COMMUNITY}/{OWN_CSV}/upload/", json=recorded("udata_community_upload_replace_csv.json")
    )
    portal.put(f"{COMMUNITY}/{OWN_CSV}/", json=recorded("udata_community_put_csv.json"))
    portal.post(f"{COMMUNITY}/d3l3t3d/upload/", status=404, json=recorded("udata_error_404.json"))
    for kind, rid in (("geojson", OWN_GEOJSON), ("schema", OWN_SCHEMA)):
        portal.post(
            f"{DATASET}/upload/community/", json=recorded(f"udata_community_upload_new_{kind}.json")
        )
        portal.put(f"{COMMUNITY}/{rid}/", json=recorded(f"udata_community_put_{kind}.json"))
    [job] = create_push_jobs(release)

    assert push_release_job(job.pk) == PushJob.Status.SUCCEEDED

    assert sequence(portal)[3:6] == [
        ("POST", f"{COMMUNITY}/d3l3t3d/upload/"),
        ("POST", f"{DATASET}/upload/community/"),
        ("PUT", f"{COMMUNITY}/{OWN_GEOJSON}/"),
    ]
    job.refresh_from_db()
    assert "La ressource communautaire d3l3t3d n’existe plus : une nouvelle est créée." in (
        messages(job)
    )
    target.refresh_from_db()
    assert target.resource_ids["geojson"] == OWN_GEOJSON
