"""The publisher pushes a release to the configured portals from its page, and retries."""

import pytest
import responses
from django.urls import reverse

from coproduction.models import Membership, Organisation, PortalTarget, PushJob
from coproduction.services.releases import publish

from ..conftest import import_demo_file

pytestmark = pytest.mark.django_db


@responses.activate
def test_push_button_creates_a_job_and_a_failed_one_can_be_retried(
    client, django_user_model, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.CKAN_URL = "https://ckan.example.org"
    settings.CKAN_API_KEY = "secret"
    responses.add(
        responses.POST,
        "https://ckan.example.org/api/action/package_show",
        status=503,
        body="maintenance",
    )
    dataset = import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca").dataset
    publisher = django_user_model.objects.create_user("pub", "pub@example.org", "pw-123456789")
    organisation = Organisation.objects.create(name="Région Sud", slug="region-sud")
    Membership.objects.create(organisation=organisation, user=publisher, role="publisher")
    dataset.organisation = organisation
    dataset.save()
    PortalTarget.objects.create(dataset=dataset, kind="ckan", portal_dataset_id="lycees")
    release = publish(dataset)
    client.force_login(publisher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("coproduction:release-push", args=["lycees", release.number]), follow=True
        )
    assert "Envoi vers 1 portail(s) lancé." in response.content.decode()
    job = PushJob.objects.get()
    assert job.status == "failed"  # no broker here: one attempt, the release is kept
    page = client.get(reverse("coproduction:release-list", args=["lycees"])).content.decode()
    assert "Relancer l’envoi" in page
    lines_before = len(job.log)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coproduction:release-push-retry", args=["lycees", job.pk]))
    job.refresh_from_db()
    assert job.status == "failed" and len(job.log) > lines_before  # tried again, logged
    stranger = django_user_model.objects.create_user("x", "x@example.org", "pw-123456789")
    client.force_login(stranger)
    assert (
        client.post(
            reverse("coproduction:release-push", args=["lycees", release.number])
        ).status_code
        == 403
    )
