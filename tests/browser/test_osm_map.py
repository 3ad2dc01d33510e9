"""The map shows the reconciliation with OpenStreetMap: colours by status, the dataset value
next to the OSM value, and a link to the OSM object."""

import pytest
from playwright.sync_api import expect

from coproduction.models import Feature
from osm_sync.models import OsmObject
from osm_sync.services.reconciliation import reconcile_dataset
from osm_sync.services.snapshot_loader import load_snapshot

from ..conftest import import_text
from ..osm_sync.conftest import MONACO, SCHOOLS

pytestmark = pytest.mark.django_db(transaction=True)

PROFILE = {
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "lat", "lon": "lon"},
    "osm": {
        "filters": [{"amenity": "school"}],
        "tags": {"nom": "name", "site": "website"},
        "max_distance_m": 150,
    },
}


def test_reconciliation_on_the_map(page):
    snapshot = load_snapshot(MONACO, SCHOOLS).snapshot
    schools = [
        o
        for o in OsmObject.objects.filter(snapshot=snapshot, osm_type="node").order_by("osm_id")
        if o.tags.get("name")
    ][:2]
    assert len(schools) == 2
    rows = ["id;nom;site;lat;lon"]
    for index, school in enumerate(schools, start=1):
        rows.append(
            f"{index};{school.tags['name']};https://ecole{index}.example.mc;"
            f"{school.lat:.6f};{school.lon:.6f}"
        )
    rows.append("9;École imaginaire du Larvotto;;43.7460;7.4360")
    dataset = import_text("\n".join(rows) + "\n", "ecoles-monaco", PROFILE).dataset
    reconcile_dataset(dataset)

    page.goto(f"/donnees/{dataset.slug}/")
    toggle = page.get_by_label("Afficher le rapprochement avec OpenStreetMap")
    expect(toggle).to_be_visible()
    expect(page.locator("#osm-summary")).to_contain_text("2 rapproché(s)")
    toggle.check()
    expect(page.locator(".feature-marker.osm-matched")).to_have_count(2)
    expect(page.locator(".feature-marker.osm-missing_in_osm")).to_have_count(1)
    expect(page.locator("#legend-osm")).to_be_visible()

    first = Feature.objects.get(dataset=dataset, key="1")
    page.goto(f"/donnees/{dataset.slug}/#{first.pk}")
    section = page.locator(".osm-section")
    expect(section).to_contain_text("rapproché")
    link = section.get_by_role("link", name="Voir l’objet sur OpenStreetMap (nouvel onglet)")
    expect(link).to_have_attribute(
        "href", f"https://www.openstreetmap.org/node/{schools[0].osm_id}"
    )
    expect(section.get_by_role("table")).to_contain_text("https://ecole1.example.mc")
