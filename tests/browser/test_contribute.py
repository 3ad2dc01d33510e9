"""Citizens propose fixes in a real browser: every kind, with the keyboard, guided questions,
a network that drops, and hostile text that must never run."""

import re

import pytest
from playwright.sync_api import expect

from coproduction.models import Contribution

from ..contributions_helpers import feature, make_dataset
from .accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = "Proposition enregistrée. Merci !"


@pytest.fixture
def dataset():
    return make_dataset()


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.org", "pw-123456789")


@pytest.fixture
def place_page(page, login, citizen, dataset):
    login(page, citizen)
    digne = feature(dataset, "1")
    page.goto(f"/donnees/{dataset.slug}/#{digne.pk}")
    expect(page.locator("#feature-panel .feature-name")).to_have_text("Médiathèque de Digne")
    return page


def open_form(page, name):
    page.get_by_role("button", name=name).click()
    return page.locator(".proposal-form")


def test_correct_an_attribute_with_validation_as_you_type(place_page, dataset):
    form = open_form(place_page, "Corriger des informations")
    postcode = form.get_by_label("Code postal")
    postcode.fill("40000a")
    expect(form.locator(".hint.error").first).to_contain_text("5 chiffres")
    postcode.fill("04000")
    expect(form.get_by_text("Format correct.")).to_be_visible()
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    contribution = Contribution.objects.get()
    assert contribution.kind == "attributes" and contribution.changes == {"cp": "04000"}
    assert contribution.base_version == 1


BAD_REQUEST = r"status of 400 \(Bad Request\)|HTTP 400 \S+/api/contributions/$"


def test_server_refusal_keeps_what_was_typed(place_page, console):
    console.allow(BAD_REQUEST)
    form = open_form(place_page, "Corriger des informations")
    form.get_by_label("Horaires").fill("le lundi matin")
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(form.get_by_role("alert")).to_contain_text("format OpenStreetMap")
    expect(form.get_by_label("Horaires")).to_have_value("le lundi matin")
    assert not Contribution.objects.exists()


def test_comment_and_closed_report(place_page):
    form = open_form(place_page, "Commenter")
    form.get_by_label("Votre commentaire").fill("Ouvert aussi le samedi matin.")
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_text(SAVED)).to_be_visible()
    form = open_form(place_page, "Signaler fermé ou disparu")
    form.get_by_label("Ce que vous savez (facultatif)").fill("Local vide depuis mars.")
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_text(SAVED)).to_be_visible()
    assert sorted(Contribution.objects.values_list("kind", flat=True)) == ["closed", "comment"]


def test_move_a_point_with_the_keyboard_only(place_page, dataset):
    before = feature(dataset, "1")
    open_form(place_page, "Déplacer le lieu")
    marker = place_page.get_by_role("button", name="Nouvelle position")
    marker.focus()
    for _ in range(3):
        place_page.keyboard.press("ArrowUp")
    place_page.keyboard.press("ArrowRight")
    latitude = place_page.get_by_label("Latitude")
    expect(latitude).not_to_have_value(f"{before.lat:.6f}")
    place_page.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_text(SAVED)).to_be_visible()
    lon, lat = Contribution.objects.get(kind="move").geometry["coordinates"]
    assert lat > before.lat and lon > before.lon
    assert abs(lat - before.lat) < 0.01


def test_move_a_point_by_typing_coordinates(place_page):
    open_form(place_page, "Déplacer le lieu")
    place_page.get_by_label("Latitude").fill("44,0931")
    place_page.get_by_label("Longitude").fill("6.2360")
    place_page.get_by_label("Longitude").press("Tab")
    place_page.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_text(SAVED)).to_be_visible()
    assert Contribution.objects.get().geometry["coordinates"] == [6.236, 44.0931]


def test_add_a_missing_place(page, login, citizen, dataset):
    login(page, citizen)
    page.goto(f"/donnees/{dataset.slug}/")
    page.get_by_role("link", name="Ajouter un lieu manquant").click()
    expect(page).to_have_url(re.compile(r"/ajouter/\?lat="))
    page.get_by_label("nom").fill("Tiers-lieu du Pont")
    page.get_by_label("Code postal").fill("04000")
    page.get_by_role("button", name="Nouvelle position").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Vers l’est").click()
    page.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    added = Contribution.objects.get()
    assert added.kind == "add" and added.feature is None
    assert added.changes == {"nom": "Tiers-lieu du Pont", "cp": "04000"}


def test_guided_questions_one_at_a_time(page, login, citizen, dataset):
    login(page, citizen)
    page.goto(f"/donnees/{dataset.slug}/taches/")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Quel est le code postal de ce lieu ?"
    )
    answer = page.get_by_label("Votre réponse")
    expect(answer).to_have_value("04000")  # the likely fix is offered, not applied
    page.get_by_role("button", name="Valider ma réponse").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Ces horaires sont-ils au bon format ?"
    )
    answer = page.get_by_label("Votre réponse")
    answer.fill("lundi 9h")
    expect(page.locator("#task-message")).to_contain_text("format OpenStreetMap")
    answer.fill("Mo 09:00-12:00")
    expect(page.locator("#task-message")).to_have_text("Format correct.")
    page.get_by_role("button", name="Je ne sais pas, question suivante").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Plus de question pour l’instant")
    contribution = Contribution.objects.get()
    assert contribution.changes == {"cp": "04000"}


def test_lost_network_is_retried_and_stored_exactly_once(place_page, console):
    console.allow(r"net::ERR_(CONNECTION_RESET|INTERNET_DISCONNECTED)")
    attempts = []

    def flaky(route):
        attempts.append(route.request.post_data)
        if len(attempts) == 1:
            # The server stores it, but the answer is lost on the way back.
            route.fetch()
            route.abort("connectionreset")
        elif len(attempts) == 2:
            route.abort("internetdisconnected")
        else:
            route.continue_()

    place_page.route("**/api/contributions/", flaky)
    form = open_form(place_page, "Corriger des informations")
    form.get_by_label("Code postal").fill("04000")
    form.get_by_role("button", name="Envoyer la proposition").click()
    status = form.locator(".proposal-status")
    expect(status).to_contain_text("Pas de connexion")
    expect(place_page.locator("#outbox-status")).to_contain_text("1 proposition(s) en attente")
    expect(place_page.get_by_text(SAVED)).to_be_visible(timeout=15_000)
    assert len(attempts) >= 3
    assert len({a for a in attempts}) == 1  # the same client_uuid every time
    assert Contribution.objects.count() == 1
    expect(place_page.locator("#outbox-status")).to_be_hidden()


def test_queued_proposal_survives_a_reload(place_page, console):
    console.allow(r"net::ERR_INTERNET_DISCONNECTED")
    place_page.route("**/api/contributions/", lambda route: route.abort("internetdisconnected"))
    form = open_form(place_page, "Commenter")
    form.get_by_label("Votre commentaire").fill("Gardé pendant la coupure")
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(form.locator(".proposal-status")).to_contain_text("Pas de connexion")
    place_page.unroute("**/api/contributions/")
    place_page.reload()
    expect(place_page.locator("#outbox-status")).to_be_hidden(timeout=10_000)
    assert Contribution.objects.get().comment == "Gardé pendant la coupure"


XSS = [
    '<script>window.__xss="script"</script>',
    "<img src=x onerror=\"window.__xss='img'\">",
    '"><svg onload="window.__xss=\'svg\'">',
    "javascript:window.__xss='href'",
    "{{ 7*7 }} ${7*7} <b>gras</b>",
]


def test_hostile_text_is_shown_as_text_everywhere(place_page, dataset, console):
    console.allow(BAD_REQUEST)
    for payload in XSS:
        form = open_form(place_page, "Commenter")
        form.get_by_label("Votre commentaire").fill(payload)
        form.get_by_role("button", name="Envoyer la proposition").click()
        expect(place_page.get_by_text(SAVED)).to_be_visible()
    form = open_form(place_page, "Corriger des informations")
    form.get_by_label("nom").fill(XSS[1])
    form.get_by_label("Horaires").fill(XSS[0])  # refused: shown back in the error summary
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(form.get_by_role("alert")).to_be_visible()
    form.get_by_label("Horaires").fill("Mo 09:00-12:00")
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_text(SAVED)).to_be_visible()
    place_page.goto(f"/donnees/{dataset.slug}/ajouter/")
    place_page.get_by_label("nom").fill(XSS[2])
    place_page.get_by_role("button", name="Envoyer la proposition").click()
    expect(place_page.get_by_text(SAVED)).to_be_visible()

    place_page.goto("/mes-contributions/")
    for payload in XSS:
        expect(place_page.get_by_text(payload, exact=True).first).to_be_attached()
    place_page.goto(f"/donnees/{dataset.slug}/#{feature(dataset, '1').pk}")
    expect(place_page.locator("#feature-panel .feature-name")).to_be_visible()
    assert place_page.evaluate("window.__xss") is None
    assert Contribution.objects.count() == len(XSS) + 2


def test_contribution_pages_have_no_blocking_accessibility_violation(place_page, dataset):
    open_form(place_page, "Corriger des informations")
    assert blocking_violations(place_page) == []
    open_form(place_page, "Déplacer le lieu")
    assert blocking_violations(place_page) == []
    place_page.goto(f"/donnees/{dataset.slug}/taches/")
    expect(place_page.get_by_label("Votre réponse")).to_be_visible()
    assert blocking_violations(place_page) == []
    place_page.goto(f"/donnees/{dataset.slug}/ajouter/")
    assert blocking_violations(place_page) == []
    place_page.goto("/mes-contributions/")
    assert blocking_violations(place_page) == []


def test_every_proposal_works_from_the_list_without_the_map(page, login, citizen, dataset):
    login(page, citizen)
    page.goto(f"/donnees/{dataset.slug}/liste/")
    page.get_by_role("link", name="Médiathèque de Digne").click()
    assert page.locator("#map").count() == 0
    form = open_form(page, "Déplacer le lieu")
    form.get_by_label("Latitude").fill("44.0931")
    form.get_by_label("Longitude").fill("6.2361")
    form.get_by_label("Longitude").press("Tab")
    form.get_by_role("button", name="Envoyer la proposition").press("Enter")
    expect(page.get_by_text(SAVED)).to_be_visible()
    form = open_form(page, "Corriger des informations")
    form.get_by_label("Téléphone").fill("04 92 31 00 01")
    form.get_by_role("button", name="Envoyer la proposition").click()
    expect(page.get_by_text(SAVED)).to_be_visible()
    assert sorted(Contribution.objects.values_list("kind", flat=True)) == ["attributes", "move"]
    assert blocking_violations(page) == []
