"""Real published data for the catalog tests: two demo datasets released, one not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rdflib import Namespace, URIRef

from coproduction.models import Dataset, Organisation
from coproduction.services.releases import publish
from tests.conftest import import_demo_file, import_text

SITE_URL = "https://carte.example.org"
# A plain namespace rather than rdflib's DCAT, which warns when pytest looks for fixtures among
# a test module's attributes.
DCAT = Namespace("http://www.w3.org/ns/dcat#")


def dataset_node(slug: str) -> URIRef:
    return URIRef(f"{SITE_URL}/donnees/{slug}/#dataset")


@dataclass
class PublishedData:
    lycees: Dataset
    inclusion: Dataset
    unpublished: Dataset
    region: Organisation


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    """Release files in a temporary folder; a known public address; no catalog cached by a
    previous test (the views cache for a minute)."""
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE_URL
    cache.clear()


@pytest.fixture
def published(db) -> PublishedData:
    region = Organisation.objects.create(
        name="Région Sud", slug="region-sud", website="https://www.maregionsud.fr/"
    )
    lycees = import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca").dataset
    lycees.organisation = region
    lycees.description = "Lycées publics et privés de la région, d’après l’annuaire national."
    lycees.save()
    inclusion = import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    ).dataset
    unpublished = import_text(
        "nom,lat,lon\nMédiathèque,43.3,5.4\n", "brouillon", title="Brouillon"
    ).dataset
    publish(lycees, allow_nonconforming=True)
    publish(inclusion, allow_nonconforming=True)
    return PublishedData(lycees, inclusion, unpublished, region)
