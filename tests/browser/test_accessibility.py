"""axe-core finds no serious or critical WCAG 2.1 AA violation on the foundation's pages."""

import pytest
from playwright.sync_api import expect

from coproduction.models import Feature

from ..conftest import import_demo_file
from .accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def inclusion(db):
    return import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    ).dataset


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_public_pages_have_no_blocking_violation(new_page, inclusion, width):
    page = new_page(width=width, height=900)
    feature = Feature.objects.filter(dataset=inclusion).first()
    for url in [
        "/",
        "/donnees/inclusion/liste/",
        "/donnees/inclusion/liste/?probleme=postcode_format",
        f"/donnees/inclusion/lieux/{feature.pk}/",
        "/donnees/inclusion/historique/",
        "/comptes/login/",
    ]:
        page.goto(url)
        assert blocking_violations(page) == [], url


def test_map_page_with_a_selected_place_has_no_blocking_violation(page, inclusion):
    feature = Feature.objects.filter(dataset=inclusion).first()
    page.goto(f"/donnees/inclusion/#{feature.pk}")
    expect(page.locator("#feature-panel .feature-name")).not_to_be_empty()
    expect(page.locator(".feature-cluster, .feature-marker").first).to_be_visible()
    assert blocking_violations(page) == []


def test_import_page_with_errors_has_no_blocking_violation(page, data_owner):
    page.goto("/comptes/login/")
    page.get_by_label("Courriel").fill("owner@example.org")
    page.get_by_role("textbox", name="Mot de passe").fill("correct horse battery")
    page.locator("form.login button[type=submit], main form button[type=submit]").last.click()
    page.goto("/donnees/importer/")
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert blocking_violations(page) == []
