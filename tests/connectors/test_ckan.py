"""Pushing a release to CKAN: the exact action calls, against recorded answers."""

from __future__ import annotations

import hashlib
import json

import pytest

from coproduction.connectors.jobs import create_push_jobs, push_release
from coproduction.models import PushJob, Release
from coproduction.tasks import PushWillRetry, push_release_job

from .helpers import CKAN_ACTION, messages, recorded, request_fields, sequence

pytestmark = pytest.mark.django_db

PACKAGE_SHOW = ("POST", f"{CKAN_ACTION}/package_show")
RESOURCE_CREATE = ("POST", f"{CKAN_ACTION}/resource_create")
RESOURCE_PATCH = ("POST", f"{CKAN_ACTION}/resource_patch")
FILES = [
    ("inclusion.csv", "CSV", "csv"),
    ("inclusion.geojson", "GeoJSON", "geojson"),
    ("inclusion-mednum-1.0.2.csv", "CSV", "schema.csv"),
]


def record_new_resources(portal):
    for kind in ("csv", "geojson", "schema"):
        portal.post(RESOURCE_CREATE[1], json=recorded(f"ckan_resource_create_{kind}.json"))


def test_new_resources_are_created_and_remembered(
    release, ckan_target, portal, django_capture_on_commit_callbacks
):
    portal.post(PACKAGE_SHOW[1], json=recorded("ckan_package_show_new.json"))
    record_new_resources(portal)

    with django_capture_on_commit_callbacks(execute=True):
        [job] = push_release(release)

    assert sequence(portal) == [PACKAGE_SHOW, RESOURCE_CREATE, RESOURCE_CREATE, RESOURCE_CREATE]
    show = portal.calls[0].request
    assert json.loads(show.body) == {"id": "lieux-d-inclusion-numerique-en-region-sud"}
    assert show.headers["Authorization"] == "ckan-test-token"
    created = [request_fields(call.request) for call in portal.calls[1:]]
    package_id = recorded("ckan_package_show_new.json")["result"]["id"]
    assert [(f["package_id"], f["name"], f["format"], f["upload"][0]) for f in created] == [
        (package_id, name, file_format, name) for name, file_format, _kind in FILES
    ]
    for fields, (_name, _format, kind) in zip(created, FILES, strict=True):
        assert hashlib.sha256(fields["upload"][1]).hexdigest() == release.sha256[kind]

    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (PushJob.Status.SUCCEEDED, 1, "")
    assert "Fichier inclusion.geojson ajouté (ressource a3b4c5d6-e7f8-4a9b-8c0d-2e3f4a5b6c71)." in (
        messages(job)
    )
    ckan_target.refresh_from_db()
    assert ckan_target.resource_ids == {
        "csv": "9e2f4b1c-0d3a-4c5e-8f7a-1b2c3d4e5f60",
        "geojson": "a3b4c5d6-e7f8-4a9b-8c0d-2e3f4a5b6c71",
        "schema.csv": "b4c5d6e7-f8a9-4b0c-9d1e-3f4a5b6c7d82",
    }


def test_existing_resources_are_patched(release, ckan_target, portal):
    """The CSV is known to the target; the other two are found by their name in the package."""
    ckan_target.resource_ids = {"csv": "c0ffee00-1234-4abc-9def-0123456789ab"}
    ckan_target.save()
    portal.post(PACKAGE_SHOW[1], json=recorded("ckan_package_show_existing.json"))
    for kind in ("csv", "geojson", "schema"):
        portal.post(RESOURCE_PATCH[1], json=recorded(f"ckan_resource_patch_{kind}.json"))
    [job] = create_push_jobs(release)

    assert push_release_job(job.pk) == PushJob.Status.SUCCEEDED

    assert sequence(portal) == [PACKAGE_SHOW, RESOURCE_PATCH, RESOURCE_PATCH, RESOURCE_PATCH]
    patched = [request_fields(call.request) for call in portal.calls[1:]]
    assert [(f["id"], f["name"], f["format"], f["upload"][0]) for f in patched] == [
        ("c0ffee00-1234-4abc-9def-0123456789ab", "inclusion.csv", "CSV", "inclusion.csv"),
        (
            "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6",
            "inclusion.geojson",
            "GeoJSON",
            "inclusion.geojson",
        ),
        (
            "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9",
            "inclusion-mednum-1.0.2.csv",
            "CSV",
            "inclusion-mednum-1.0.2.csv",
        ),
    ]
    assert all("package_id" not in fields for fields in patched)
    ckan_target.refresh_from_db()
    assert ckan_target.resource_ids["schema.csv"] == "e5f6a7b8-c9d0-4e1f-a2b3-c4d5e6f7a8b9"


def test_a_portal_down_is_retried_then_succeeds(release, ckan_target, portal):
    portal.post(
        PACKAGE_SHOW[1],
        status=503,
        content_type="text/html",
        body="<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
        "<center><h1>503 Service Temporarily Unavailable</h1></center></body></html>",
    )
    portal.post(PACKAGE_SHOW[1], json=recorded("ckan_package_show_new.json"))
    record_new_resources(portal)
    [job] = create_push_jobs(release)

    # Called as a worker would run it: the task asks Celery for a retry.
    with pytest.raises(PushWillRetry):
        push_release_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PushJob.Status.RETRYING, 1)
    assert job.last_error == "Le portail a répondu 503 : 503 Service Temporarily Unavailable"

    assert push_release_job(job.pk) == PushJob.Status.SUCCEEDED  # Celery's retry
    assert sequence(portal) == [PACKAGE_SHOW, PACKAGE_SHOW] + [RESOURCE_CREATE] * 3
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (PushJob.Status.SUCCEEDED, 2, "")
    levels = [line["level"] for line in job.log]
    assert levels.count("error") == 1 and "Publication v1 envoyée." in messages(job)


def test_a_refused_key_fails_at_once_and_keeps_the_release(release, ckan_target, portal):
    portal.post(PACKAGE_SHOW[1], status=401, json=recorded("ckan_error_401.json"))
    [job] = create_push_jobs(release)

    assert push_release_job(job.pk) == PushJob.Status.FAILED  # no retry asked

    assert sequence(portal) == [PACKAGE_SHOW]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PushJob.Status.FAILED, 1)
    assert job.last_error.startswith(
        "Le portail a répondu 401 : Access denied: User not authorized to read package"
    )
    assert job.last_error.endswith("Vérifiez la clé d’API du portail et ses droits sur ce jeu.")
    assert job.log[-1]["level"] == "error"
    ckan_target.refresh_from_db()
    assert ckan_target.resource_ids == {}
    kept = Release.objects.get(pk=release.pk)
    assert kept.push_jobs.get() == job
    with kept.csv_file.open("rb") as stream:
        assert hashlib.sha256(stream.read()).hexdigest() == release.sha256["csv"]
