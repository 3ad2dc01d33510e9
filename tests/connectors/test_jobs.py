"""Push jobs without a broker (the embedded default), and sending failed pushes again."""

from __future__ import annotations

import io

import pytest
import requests
from django.core.management import call_command

from coproduction.connectors.jobs import create_push_jobs, push_release, run_push_job
from coproduction.connectors.push_command import Command as PushReleasesCommand
from coproduction.models import PortalTarget, PushJob
from coproduction.services.releases import publish
from coproduction.tasks import push_release_job

from .helpers import CKAN_ACTION, messages, recorded, sequence

pytestmark = pytest.mark.django_db


def record_successful_push(portal):
    portal.post(f"{CKAN_ACTION}/package_show", json=recorded("ckan_package_show_new.json"))
    for kind in ("csv", "geojson", "schema"):
        portal.post(
            f"{CKAN_ACTION}/resource_create", json=recorded(f"ckan_resource_create_{kind}.json")
        )


def test_an_unreachable_portal_fails_once_without_broker_then_is_sent_again(
    release, ckan_target, portal, django_capture_on_commit_callbacks
):
    """Without a broker the job runs inside the publishing request: it does not keep the
    publisher waiting for retries, and the failed push is sent again later."""
    refused = requests.ConnectionError("[Errno 111] Connection refused")
    portal.post(f"{CKAN_ACTION}/package_show", body=refused)
    with django_capture_on_commit_callbacks(execute=True):
        [job] = push_release(release)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PushJob.Status.FAILED, 1)
    assert job.last_error == "Portail injoignable : [Errno 111] Connection refused"
    assert messages(job)[-1] == (
        "La publication est conservée : son envoi pourra être relancé plus tard."
    )

    portal.reset()
    record_successful_push(portal)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(PushReleasesCommand(), "--retry-failed", stdout=out)
    assert out.getvalue().strip() == "1 envoi(s) relancé(s)"

    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (PushJob.Status.SUCCEEDED, 1, "")
    assert "Nouvel envoi demandé." in messages(job)
    assert len(sequence(portal)) == 4


def test_an_older_release_never_overwrites_a_newer_one(release, ckan_target, portal):
    [old_job] = create_push_jobs(release)  # still waiting for a worker when…
    newer = publish(release.dataset, allow_nonconforming=True, note="Deuxième version")
    [new_job] = create_push_jobs(newer)  # …the next release is published

    assert push_release_job(old_job.pk) == PushJob.Status.FAILED
    old_job.refresh_from_db()
    assert old_job.last_error == (
        "La publication v2, plus récente, part aussi vers ce portail : "
        "la v1 n’y est pas envoyée, pour ne pas la remplacer."
    )
    out = io.StringIO()
    call_command(PushReleasesCommand(), "--retry-failed", stdout=out)
    assert out.getvalue().strip() == "0 envoi(s) relancé(s)"
    old_job.refresh_from_db()
    assert old_job.status == PushJob.Status.FAILED
    assert sequence(portal) == []
    assert PushJob.objects.get(pk=new_job.pk).status == PushJob.Status.QUEUED


def test_a_portal_without_credentials_says_which_setting_is_missing(release, ckan_target, settings):
    settings.CKAN_API_KEY = ""
    PortalTarget.objects.create(
        dataset=release.dataset, kind=PortalTarget.Kind.UDATA, portal_dataset_id="x", enabled=False
    )
    [job] = create_push_jobs(release)  # the disabled target gets no job
    run_push_job(job, can_retry=True)
    assert job.status == PushJob.Status.FAILED
    assert job.last_error == "La clé d’API CKAN manque (variable CKAN_API_KEY)."
