"""The demonstration data a newcomer sees: the region's real files and a data-owner account."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from ..importing import sources
from ..models import Dataset
from ..policies import run_demo_loaders
from ..profiles import DatasetProfile, shipped_profiles
from .importer import import_dataset

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_EMAIL = "demo@cartecommune.test"
DEMO_PASSWORD = "atelier-demo-2026"


def demo_manifest() -> list[dict]:
    return json.loads((DEMO_DIR / "manifest.json").read_text(encoding="utf-8"))


def ensure_demo_owner():
    """A data owner who can import and re-import datasets, so the import page can be tried."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username="demo", defaults={"email": DEMO_EMAIL, "first_name": "Démo"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="coproduction", codename__in=["add_dataset", "change_dataset"]
        )
    )
    return user


def load_demo(force: bool = False) -> Iterator[str]:
    owner = ensure_demo_owner()
    profiles = shipped_profiles()
    for entry in demo_manifest():
        if not force and Dataset.objects.filter(slug=entry["slug"]).exists():
            yield f"{entry['slug']} : déjà chargé"
            continue
        report = import_dataset(
            sources.from_path(DEMO_DIR / entry["file"]),
            entry["slug"],
            profile=DatasetProfile.from_file(profiles[entry["profile"]]),
            title=entry["title"],
            user=owner,
        )
        yield report.summary()
    yield from run_demo_loaders(owner)
