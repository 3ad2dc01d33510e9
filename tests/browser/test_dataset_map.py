"""A person opens a dataset: the map, its markers, the side panel, and the list without map."""

import re

import pytest
from playwright.sync_api import expect

from coproduction.models import Feature

from ..conftest import import_demo_file, import_text

pytestmark = pytest.mark.django_db(transaction=True)

POINTS = {
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "lat", "lon": "lon"},
    "fields": {"cp": {"type": "postcode", "required": True}},
}
# Three places far apart: at the fitted zoom, each is its own marker (no cluster).
THREE_PLACES = (
    "id;nom;cp;lat;lon\n"
    "1;Médiathèque de Digne;04000;44.0925;6.2356\n"
    "2;Maison France Services de Nice;6000;43.7034;7.2663\n"
    "3;EPN d’Avignon;84000;43.9493;4.8055\n"
)


def test_map_shows_markers_and_offers_the_list(page):
    import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca", title="Lycées")
    page.goto("/donnees/lycees/")
    markers = page.locator(".feature-cluster, .feature-marker")
    expect(markers.first).to_be_visible()
    assert markers.count() > 5
    expect(page.locator("#map-status")).to_have_text("310 lieux affichés dans cette zone.")
    # The leaflet library comes from the product itself.
    assert page.evaluate("typeof window.L.markerClusterGroup") == "function"

    page.get_by_role("link", name="Voir la liste des lieux").click()
    expect(page).to_have_url(re.compile(r"/donnees/lycees/liste/$"))
    expect(page.get_by_role("table")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(51)  # header + 50 per page
    page.get_by_role("searchbox", name="Rechercher").fill("esclangon")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("rowheader")).to_have_text(["Lycee Felix Esclangon"])


def test_choosing_a_marker_with_the_keyboard_opens_its_panel(page):
    import_text(THREE_PLACES, "epn", POINTS)
    page.goto("/donnees/epn/")
    expect(page.locator(".feature-marker")).to_have_count(3)
    nice = page.get_by_role("button", name="Maison France Services de Nice")
    nice.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#feature-panel")
    expect(panel).to_be_focused()
    expect(panel.locator(".feature-name")).to_have_text("Maison France Services de Nice")
    expect(panel.locator(".issues")).to_contain_text(
        "Code postal qui n’a pas 5 chiffres (cp) : « 6000 »"
    )
    expect(panel.get_by_role("link", name="Fiche complète du lieu")).to_be_visible()
    expect(page.locator(".feature-marker.selected")).to_have_count(1)


def test_panning_loads_the_features_of_the_new_area(page):
    import_text(THREE_PLACES, "epn", POINTS)
    page.goto("/donnees/epn/")
    expect(page.locator(".feature-marker")).to_have_count(3)
    with page.expect_response(re.compile(r"/api/datasets/epn/features/\?bbox=")) as answer:
        page.evaluate("document.getElementById('map').focus()")
        for _ in range(4):
            page.keyboard.press("+")
    assert answer.value.ok
    expect(page.locator("#map-status")).not_to_have_text("3 lieux affichés dans cette zone.")


def test_deep_link_selects_the_feature(page):
    import_text(THREE_PLACES, "epn", POINTS)
    feature = Feature.objects.get(dataset__slug="epn", key="3")
    page.goto(f"/donnees/epn/#{feature.pk}")
    expect(page.locator("#feature-panel .feature-name")).to_have_text("EPN d’Avignon")


def test_attribute_values_are_never_interpreted_as_html(page):
    import_text(
        "id;nom;note;lat;lon\n"
        '1;<img src=x onerror="window.__xss=1">;<script>window.__xss=2</script>;43.5;5.4\n',
        "xss",
        {"id_field": "id", "name_field": "nom", "geometry": {"lat": "lat", "lon": "lon"}},
    )
    feature = Feature.objects.get(dataset__slug="xss")
    page.goto(f"/donnees/xss/#{feature.pk}")
    expect(page.locator("#feature-panel .feature-name")).to_have_text(
        '<img src=x onerror="window.__xss=1">'
    )
    expect(page.locator("#feature-panel td").first).to_have_text("1")
    page.goto("/donnees/xss/liste/")
    expect(page.get_by_role("rowheader")).to_have_text('<img src=x onerror="window.__xss=1">')
    page.goto(f"/donnees/xss/lieux/{feature.pk}/")
    assert page.evaluate("window.__xss") is None


def test_phone_sized_screen_stacks_map_and_panel(new_page):
    import_text(THREE_PLACES, "epn", POINTS)
    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    page.goto("/donnees/epn/")
    expect(page.locator(".feature-marker")).to_have_count(3)
    page.locator(".feature-marker").first.tap()
    expect(page.locator("#feature-panel .feature-name")).not_to_be_empty()
    map_box = page.locator("#map").bounding_box()
    panel_box = page.locator("#feature-panel").bounding_box()
    assert panel_box["y"] >= map_box["y"] + map_box["height"]
    assert map_box["width"] <= 390
