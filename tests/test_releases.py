"""Releases: immutable files in the dataset's layout and in the national schema, checked by
frictionless; ODbL values left out unless decided; stable URLs; the publish command."""

import csv
import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from frictionless import Resource, Schema

from coproduction.models import Feature, Release
from coproduction.services.contributions import create_contribution
from coproduction.services.releases import NonConforming, preview, publish
from coproduction.services.review import accept
from coproduction.services.table_schema import SCHEMAS_DIR

from .conftest import import_demo_file
from .contributions_helpers import contributor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def inclusion():
    return import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    ).dataset


def test_regional_dataset_needs_an_explicit_decision_to_publish_nonconforming(inclusion):
    report = preview(inclusion)
    assert report.schema_name == "mednum-1.0.2"
    fields = {e.field for e in report.schema_errors}
    assert {"pivot", "code_postal"} <= fields  # SIRET missing, 4-digit postcodes
    first = next(e for e in report.schema_errors if e.field == "code_postal")
    assert first.row >= 2 and first.value
    with pytest.raises(NonConforming):
        publish(inclusion)
    assert not Release.objects.exists()
    release = publish(inclusion, allow_nonconforming=True, note="Première version")
    assert release.number == 1 and release.published_nonconforming
    assert release.conformance["errors"] == len(report.schema_errors)


def test_release_files_and_their_layouts(inclusion):
    release = publish(inclusion, allow_nonconforming=True)
    rows = list(csv.DictReader(io.StringIO(release.csv_file.read().decode())))
    assert len(rows) == 1231 and list(rows[0])[:3] == ["nom", "structure_porteuse", "description"]
    geojson = json.loads(release.geojson_file.read())
    assert len(geojson["features"]) == 1231
    schema_csv = release.schema_csv_file.read().decode()
    header = schema_csv.splitlines()[0].split(",")
    assert header[:5] == ["id", "pivot", "nom", "commune", "code_postal"]
    assert release.sha256["csv"]


def test_a_conforming_file_passes_frictionless_against_the_bundled_schema(inclusion):
    # Fix what the schema requires on a handful of places, remove the others.
    places = list(Feature.objects.filter(dataset=inclusion).order_by("row_number")[:3])
    Feature.objects.filter(dataset=inclusion).exclude(pk__in=[p.pk for p in places]).update(
        is_removed=True
    )
    for place in places:
        place.properties.update(
            {
                "siret": "73282932000074",
                "adresse_code_postal": "04000",
                "adresse_rue": place.properties.get("adresse_rue") or "place de la Mairie",
                "adresse_code_insee": "",
                "contact_telephone": "",
                "contact_web": "",
                "contact_email": "",
                "horaires_ouverture_osm": "",
            }
        )
        place.save()
    release = publish(inclusion)
    assert not release.published_nonconforming
    descriptor = json.loads((SCHEMAS_DIR / "mednum-schema-1.0.2.json").read_text(encoding="utf-8"))
    schema = Schema.from_descriptor(descriptor)
    report = Resource(data=release.schema_csv_file.read(), format="csv", schema=schema).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])


def test_osm_values_are_left_out_of_a_non_odbl_release_unless_decided(inclusion):
    place = Feature.objects.filter(dataset=inclusion).order_by("row_number").first()
    place.properties["contact_web"] = "https://from-osm.example.org/"
    place.provenance = {"contact_web": {"source": "osm"}}
    place.save()
    assert preview(inclusion).osm_values == 1
    release = publish(inclusion, allow_nonconforming=True)
    assert "from-osm.example.org" not in release.csv_file.read().decode()
    assert not release.includes_osm_values
    with_osm = publish(inclusion, allow_nonconforming=True, include_osm_values=True)
    assert "from-osm.example.org" in with_osm.csv_file.read().decode()
    assert with_osm.includes_osm_values


def test_changelog_counts_contributions_since_the_last_release(inclusion, django_user_model):
    publish(inclusion, allow_nonconforming=True)
    alice = contributor(django_user_model, "alice")
    reviewer = django_user_model.objects.create_superuser("boss", "b@example.org", "pw-1234567")
    place = Feature.objects.filter(dataset=inclusion).order_by("row_number").first()
    proposal, _ = create_contribution(
        alice,
        inclusion,
        client_uuid=uuid.uuid4(),
        kind="attributes",
        feature=place,
        changes={"contact_web": "https://www.example.org/"},
    )
    accept(proposal, reviewer)
    second = publish(inclusion, allow_nonconforming=True)
    assert second.number == 2
    assert second.changelog["contributions"] == 1
    assert second.changelog["changes"]["contributed"]["features"] == 1


def test_stable_urls(client, inclusion):
    publish(inclusion, allow_nonconforming=True)
    latest = reverse("coproduction:release-latest-file", args=["inclusion", "csv"])
    first = client.get(latest)
    assert first.status_code == 200 and first["X-Release-Version"] == "1"
    publish(inclusion, allow_nonconforming=True)
    assert client.get(latest)["X-Release-Version"] == "2"
    pinned = client.get(reverse("coproduction:release-file", args=["inclusion", 1, "geojson"]))
    assert pinned.status_code == 200 and "immutable" in pinned["Cache-Control"]
    schema = client.get(
        reverse("coproduction:release-latest-file", args=["inclusion", "schema.csv"])
    )
    assert b"code_postal" in b"".join(schema.streaming_content)
    assert (
        client.get(
            reverse("coproduction:release-latest-file", args=["inclusion", "xls"])
        ).status_code
        == 404
    )


def test_publish_command(inclusion, capsys):
    with pytest.raises(CommandError, match="conformité"):
        call_command("publish", "inclusion")
    call_command("publish", "inclusion", "--allow-nonconforming", "--note", "Hebdomadaire")
    assert "version 1 publiée" in capsys.readouterr().out
    assert Release.objects.get().note == "Hebdomadaire"
    lycees = import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca").dataset
    call_command("publish", lycees.slug)  # no schema declared: nothing to conform to
    assert lycees.releases.count() == 1
