"""A data owner reviews competing proposals and publishes a release that conforms to the
national schema; the contributors see the decisions."""

import io
import json
import uuid

import pytest
from frictionless import Resource, Schema
from playwright.sync_api import expect

from coproduction.models import Contributor, Feature, Membership, Organisation
from coproduction.services.contributions import create_contribution
from coproduction.services.table_schema import schema_descriptor

from ..conftest import import_text
from .accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)

PLACES = [
    {
        "nom": "Médiathèque François Mitterrand",
        "siret": "21040070100019",
        "adresse_numero": "4",
        "adresse_rue": "boulevard Victor Hugo",
        "adresse_code_postal": 4000,
        "adresse_code_insee": "04070",
        "adresse_commune": "DIGNE-LES-BAINS",
        "latitude": 44.0925,
        "longitude": 6.2356,
        "contact_telephone": "04 92 31 00 00",
        "date": "02/03/2024",
    },
    {
        "nom": "EPN de la Bocca",
        "siret": "21060029100011",
        "adresse_numero": "1",
        "adresse_rue": "rue de Cannes",
        "adresse_code_postal": 6150,
        "adresse_code_insee": "06029",
        "adresse_commune": "CANNES",
        "latitude": 43.5528,
        "longitude": 6.9633,
        "contact_telephone": "",
        "date": "02/03/2024",
    },
]


def test_review_competing_proposals_then_publish_a_conforming_release(
    new_page, login, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from coproduction.profiles import shipped_profiles

    profile = json.loads(shipped_profiles()["lieux-inclusion-numerique-paca"].read_text())
    dataset = import_text(json.dumps(PLACES), "epn-sud", profile, name="epn.json").dataset
    publisher = django_user_model.objects.create_user("pub", "pub@example.org", "pw-123456789")
    organisation = Organisation.objects.create(name="Région Sud", slug="region-sud")
    Membership.objects.create(organisation=organisation, user=publisher, role="publisher")
    dataset.organisation = organisation
    dataset.save()
    alice = django_user_model.objects.create_user("alice", "alice@example.org", "pw-123456789")
    bob = django_user_model.objects.create_user("bob", "bob@example.org", "pw-123456789")
    digne = Feature.objects.get(dataset=dataset, name__startswith="Médiathèque")
    cannes = Feature.objects.get(dataset=dataset, name__startswith="EPN")
    for user, value in ((alice, "04001"), (bob, "04000")):
        create_contribution(
            Contributor.for_user(user),
            dataset,
            client_uuid=uuid.uuid4(),
            kind="attributes",
            feature=digne,
            changes={"adresse_code_postal": value},
        )
    create_contribution(
        Contributor.for_user(bob),
        dataset,
        client_uuid=uuid.uuid4(),
        kind="attributes",
        feature=cannes,
        changes={"adresse_code_postal": "06150"},
    )

    desk = new_page()
    login(desk, publisher)
    desk.goto("/relecture/")
    expect(desk.get_by_role("status")).to_have_text("3 propositions")
    expect(desk.locator(".badge-info")).to_have_count(2)
    assert blocking_violations(desk) == []
    desk.get_by_role("row").filter(has_text="04001").get_by_role("link").click()
    expect(desk.get_by_role("table")).to_contain_text("04000 (bob)")
    expect(desk.locator("#review-map .leaflet-marker-icon")).to_have_count(1)
    assert blocking_violations(desk) == []
    desk.get_by_label("Valeur à accepter pour adresse_code_postal").fill("04000")
    desk.get_by_label("Message au contributeur").fill("Le bon code est 04000.")
    desk.get_by_role("button", name="Accepter").click()
    # The next proposal opens: bob's competing one, now stale.
    expect(desk.get_by_role("alert").first).to_contain_text("adresse_code_postal")
    desk.get_by_label("Motif de refus").select_option(label="en double")
    desk.keyboard.press("Escape")
    desk.locator("body").click()
    desk.keyboard.press("r")  # keyboard shortcut: reject
    expect(desk.get_by_text("Proposition refusée.")).to_be_visible()
    desk.goto("/relecture/")
    desk.locator("input[name=contribution]").first.check()
    desk.get_by_role("button", name="Accepter les propositions cochées").click()
    expect(desk.get_by_text("1 proposition(s) acceptée(s).")).to_be_visible()

    for user, text in ((alice, "acceptée avec modifications"), (bob, "motif : en double")):
        page = new_page()
        login(page, user)
        page.goto("/mes-contributions/")
        expect(page.locator(".decision").filter(has_text=text)).to_have_count(1)

    desk.goto(f"/donnees/{dataset.slug}/publier/")
    expect(desk.get_by_text("Le fichier est conforme au schéma.")).to_be_visible()
    assert blocking_violations(desk) == []
    desk.get_by_label("Note de version (facultatif)").fill("Codes postaux corrigés en atelier")
    desk.get_by_role("button", name="Publier").click()
    expect(desk.get_by_text("Version 1 publiée.")).to_be_visible()
    link = desk.get_by_role("link", name="schema.csv").first
    response = desk.request.get(link.get_attribute("href"))
    schema = Schema.from_descriptor(schema_descriptor("mednum-1.0.2"))
    report = Resource(data=response.body(), format="csv", schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    rows = io.StringIO(response.text()).read()
    assert "04000" in rows and "06150" in rows
