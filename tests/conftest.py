"""Shared fixtures. Tests never reach the internet: any connection to a non-loopback address
fails loudly, so a test that silently depended on the network cannot pass."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import pytest
from django.utils import translation

from coproduction.importing import sources
from coproduction.profiles import DatasetProfile, shipped_profiles
from coproduction.services.importer import import_dataset

DEMO_DIR = Path(__file__).resolve().parent.parent / "coproduction" / "data" / "demo"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"

_real_connect = socket.socket.connect


def _is_local(address) -> bool:
    if not isinstance(address, tuple):
        return True  # Unix sockets
    host = address[0]
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise RuntimeError(f"Tests must not reach the network (tried {address!r})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _block_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture(autouse=True)
def _french(request):
    """The interface language is French unless a test asks otherwise; a request handled in the
    test thread must not leave another language active for the next test."""
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def _no_tiles(settings):
    """Map tiles would come from the internet: tests use the no-tile mode."""
    settings.MAP_TILES_URL = ""


def shipped_profile(name: str) -> DatasetProfile:
    return DatasetProfile.from_file(shipped_profiles()[name])


def import_demo_file(filename: str, slug: str, profile_name: str | None = None, **kwargs):
    profile = shipped_profile(profile_name) if profile_name else None
    return import_dataset(sources.from_path(DEMO_DIR / filename), slug, profile=profile, **kwargs)


def import_text(
    text: str,
    slug: str,
    profile: dict | None = None,
    name: str = "data.csv",
    encoding: str = "utf-8",
    **kwargs,
):
    source = sources.SourceFile(name, text.encode(encoding))
    parsed = DatasetProfile.from_dict(profile) if profile is not None else None
    return import_dataset(source, slug, profile=parsed, **kwargs)


@pytest.fixture
def data_owner(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="owner", email="owner@example.org", password="correct horse battery"
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="coproduction", codename__in=["add_dataset", "change_dataset"]
        )
    )
    return user


@pytest.fixture
def lycees(db):
    return import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca").dataset
