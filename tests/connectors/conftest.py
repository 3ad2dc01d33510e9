"""Fixtures for the portal connectors: a real release of the regional dataset, portal targets,
and recorded portal answers served by `responses` (nothing leaves the machine)."""

from __future__ import annotations

import pytest
import responses

from config import celery_app
from coproduction.models import PortalTarget
from coproduction.services.releases import publish
from tests.conftest import import_demo_file

from .helpers import CKAN_URL, UDATA_URL


@pytest.fixture(autouse=True)
def portals(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CKAN_URL = CKAN_URL
    settings.CKAN_API_KEY = "ckan-test-token"
    settings.UDATA_URL = UDATA_URL
    settings.UDATA_API_KEY = "udata-test-key"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in the test's process, as in the embedded default, even if the environment
    names a broker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def release(db):
    dataset = import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    ).dataset
    return publish(dataset, allow_nonconforming=True)


@pytest.fixture
def ckan_target(release):
    return PortalTarget.objects.create(
        dataset=release.dataset,
        kind=PortalTarget.Kind.CKAN,
        portal_dataset_id="lieux-d-inclusion-numerique-en-region-sud",
    )


@pytest.fixture
def portal():
    """Recorded answers; a request that none of them matches fails the test, and so does a
    recorded answer that was never asked for."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock
