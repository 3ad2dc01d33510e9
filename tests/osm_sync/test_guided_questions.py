"""Disagreements with OpenStreetMap become guided questions; a value taken from OSM keeps its
origin through the review, and stays out of a non-ODbL release unless decided."""

import uuid

import pytest
from django.urls import reverse

from coproduction.models import Contributor, Feature
from coproduction.services.contributions import create_contribution
from coproduction.services.releases import preview
from coproduction.services.review import accept
from osm_sync.models import Match, Reconciliation

from ..conftest import import_text

pytestmark = pytest.mark.django_db

PROFILE = {
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "lat", "lon": "lon"},
    "fields": {"site": {"type": "url"}},
    "osm": {"filters": [{"amenity": "school"}], "tags": {"site": "website"}},
}


@pytest.fixture
def dataset():
    dataset = import_text(
        "id;nom;site;lat;lon\n1;École du Rocher;;43.7311;7.4197\n", "ecoles", PROFILE
    ).dataset
    run = Reconciliation.objects.create(dataset=dataset, counts={"matched": 1})
    Match.objects.create(
        reconciliation=run,
        feature_key="1",
        osm_ref="node/42",
        status="matched",
        differences=[
            {"field": "site", "tag": "website", "dataset": "", "osm": "https://ecole-du-rocher.mc/"}
        ],
    )
    return dataset


def test_the_difference_is_asked_as_a_question(client, dataset, django_user_model):
    client.force_login(django_user_model.objects.create_user("a", "a@example.org", "pw-12345678"))
    html = client.get(reverse("coproduction:guided-tasks", args=[dataset.slug])).content.decode()
    assert "OpenStreetMap dit « https://ecole-du-rocher.mc/ », le portail dit « — »" in html
    assert 'data-osm-value="https://ecole-du-rocher.mc/"' in html
    assert "https://www.openstreetmap.org/node/42" in html


def test_a_value_taken_from_osm_keeps_its_origin(dataset, django_user_model):
    author = Contributor.for_user(
        django_user_model.objects.create_user("a", "a@example.org", "pw-12345678")
    )
    reviewer = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-1234567")
    place = Feature.objects.get(dataset=dataset)
    proposal, _ = create_contribution(
        author,
        dataset,
        client_uuid=uuid.uuid4(),
        kind="attributes",
        feature=place,
        changes={"site": "https://ecole-du-rocher.mc/"},
        value_sources={"site": "osm"},
    )
    accept(proposal, reviewer)
    place.refresh_from_db()
    assert place.provenance["site"]["source"] == "osm"
    assert preview(dataset).osm_values == 1


def test_the_review_shows_what_openstreetmap_says(client, django_user_model):
    from osm_sync.models import OsmObject, OsmSnapshot

    dataset = import_text(
        "id;nom;site;lat;lon\n1;École du Rocher;;43.7311;7.4197\n", "ecoles2", PROFILE
    ).dataset
    snapshot = OsmSnapshot.objects.create(source_name="test.osm.pbf", is_current=True)
    OsmObject.objects.create(
        snapshot=snapshot,
        osm_type="node",
        osm_id=42,
        version=3,
        tags={"amenity": "school", "website": "https://ecole-du-rocher.mc/"},
        geometry={"type": "Point", "coordinates": [7.4197, 43.7311]},
        geometry_type="Point",
        lon=7.4197,
        lat=43.7311,
        min_lon=7.4197,
        min_lat=43.7311,
        max_lon=7.4197,
        max_lat=43.7311,
    )
    run = Reconciliation.objects.create(dataset=dataset, snapshot=snapshot)
    Match.objects.create(reconciliation=run, feature_key="1", osm_ref="node/42", status="matched")
    author = Contributor.for_user(
        django_user_model.objects.create_user("a", "a@example.org", "pw-12345678")
    )
    proposal, _ = create_contribution(
        author,
        dataset,
        client_uuid=uuid.uuid4(),
        kind="attributes",
        feature=Feature.objects.get(dataset=dataset),
        changes={"site": "https://autre.mc/"},
    )
    client.force_login(django_user_model.objects.create_superuser("b", "b@example.org", "pw-1"))
    html = client.get(reverse("coproduction:review-detail", args=[proposal.pk])).content.decode()
    assert "https://ecole-du-rocher.mc/" in html
