"""A whole workshop in two browsers: a facilitator on a laptop, a participant on a phone."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from coproduction.models import Contribution

from ..contributions_helpers import feature, make_dataset
from .accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def facilitator(django_user_model):
    cache.clear()
    return django_user_model.objects.create_user("anim", "anim@example.org", "pw-123456789")


def test_facilitator_runs_a_workshop_and_a_participant_contributes_from_a_phone(
    new_page, login, facilitator, expect_403
):
    dataset = make_dataset()
    desk = new_page(width=1280, height=900)
    login(desk, facilitator)

    # The facilitator prepares and opens the workshop.
    desk.goto("/ateliers/nouveau/")
    desk.get_by_label("Titre").fill("Atelier des lieux numériques")
    desk.get_by_label("Début").fill("2026-12-03T14:00")
    desk.get_by_label("Fin").fill("2026-12-03T16:00")
    desk.get_by_label(dataset.title).check()
    desk.get_by_label("Consignes").fill("Vérifiez les codes postaux.")
    desk.get_by_role("button", name="Enregistrer").click()
    desk.get_by_role("button", name="Ouvrir l’atelier").click()
    code = desk.locator(".join-box .join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    expect(desk.locator(".qr svg")).to_be_visible()
    desk.get_by_role("link", name="Tableau en direct").click()
    expect(desk.locator("#feed")).to_contain_text("Aucune proposition")
    assert blocking_violations(desk) == []

    # A participant joins on a phone, with the code and a pseudonym only.
    phone = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    phone.goto("/atelier/")
    assert blocking_violations(phone) == []
    phone.get_by_label("Code de l’atelier").fill(code.lower())
    phone.get_by_label("Votre pseudonyme").fill("Samia")
    phone.get_by_role("button", name="Rejoindre").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Bienvenue, Samia")
    expect(phone.locator(".recovery .join-code")).to_have_text(
        re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
    )
    digne = feature(dataset, "1")
    phone.goto(f"/donnees/{dataset.slug}/#{digne.pk}")
    phone.get_by_role("button", name="Corriger des informations").tap()
    phone.get_by_label("Code postal").fill("04000")
    phone.get_by_role("button", name="Envoyer la proposition").tap()
    expect(phone.get_by_text("Proposition enregistrée. Merci !")).to_be_visible()

    # The board shows it within 5 seconds; the facilitator triages it.
    item = desk.locator(".feed-item").first
    expect(item).to_contain_text("Samia", timeout=5_000)
    expect(item).to_contain_text("Médiathèque de Digne")
    item.get_by_role("button", name="Prête pour la relecture").click()
    expect(
        desk.locator(".feed-item").first.get_by_role("button", name="Prête pour la relecture")
    ).to_have_attribute("aria-pressed", "true")

    # Revert all of Samia's pending proposals, then undo it.
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Retirer ses propositions en attente : Samia").click()
    expect(desk.locator(".feed-item").first).to_contain_text("retirée")
    assert Contribution.objects.get().status == "withdrawn"
    desk.get_by_role("button", name="Rétablir").click()
    expect(desk.locator(".feed-item").first).to_contain_text("en attente")
    assert Contribution.objects.get().status == "pending"
    assert blocking_violations(desk) == []

    # The session report, with its chart.
    desk.goto(desk.url.replace("/tableau/", "/rapport/"))
    expect(desk.locator("svg.chart rect.bar")).to_have_count(1)
    expect(desk.locator(".big-stats")).to_contain_text("1")
    assert blocking_violations(desk) == []

    # Closing the workshop closes the door for the participant.
    desk.goto(desk.url.replace("/rapport/", "/"))
    desk.get_by_role("button", name="Terminer l’atelier").click()
    phone.goto(f"/donnees/{dataset.slug}/#{digne.pk}")
    phone.get_by_role("button", name="Commenter").tap()
    phone.get_by_label("Votre commentaire").fill("Encore un mot")
    phone.get_by_role("button", name="Envoyer la proposition").tap()
    expect(phone.get_by_role("alert")).to_contain_text("L’atelier est terminé")
    assert Contribution.objects.count() == 1


@pytest.fixture
def expect_403(console):
    console.allow(r"HTTP 403 \S+/api/contributions/$|status of 403")
