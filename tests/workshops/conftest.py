"""Fixtures of the workshop tests: a facilitator and an open workshop; join throttling starts
from zero in every test (it lives in the cache)."""

import pytest
from django.core.cache import cache

from .helpers import make_workshop


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def facilitator(django_user_model):
    return django_user_model.objects.create_user("anim", "anim@example.org", "pw-123456789")


@pytest.fixture
def workshop(facilitator):
    return make_workshop(facilitator)
