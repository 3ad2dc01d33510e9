"""The management commands of the contract in DESIGN.md."""

import http.server
import json
import threading
from functools import partial

import pytest
from django.core.management import CommandError, call_command

from coproduction.models import Dataset, Feature

from .conftest import DEMO_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_server():
    """A real HTTP server on loopback serving the demo files (tests never reach the internet)."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(DEMO_DIR))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_import_dataset_from_a_path_with_a_shipped_profile(capsys):
    call_command(
        "import_dataset",
        str(DEMO_DIR / "lycees-paca-2025.csv"),
        "--slug",
        "lycees",
        "--profile",
        "lycees-paca",
        "--title",
        "Lycées",
    )
    assert "310 ajouté(s)" in capsys.readouterr().out
    assert Dataset.objects.get(slug="lycees").title == "Lycées"


def test_import_dataset_with_a_profile_file(tmp_path):
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {"id_field": "N° auto", "name_field": "nom", "geometry": {"latlon": "geolocalisation"}}
        )
    )
    call_command(
        "import_dataset",
        str(DEMO_DIR / "cinemas-paca-2022.csv"),
        "--slug",
        "cine",
        "--profile",
        str(profile),
    )
    assert Feature.objects.filter(dataset__slug="cine").count() == 199


def test_import_dataset_from_a_url(file_server, capsys):
    call_command(
        "import_dataset",
        f"{file_server}/aix-en-provence-mediation-numerique.json",
        "--slug",
        "aix",
        "--profile",
        "mediation-numerique-aix",
    )
    dataset = Dataset.objects.get(slug="aix")
    assert dataset.feature_count == 38
    assert dataset.current_version.source_name == "aix-en-provence-mediation-numerique.json"


def test_import_dataset_url_not_found(file_server):
    with pytest.raises(CommandError) as error:
        call_command("import_dataset", f"{file_server}/absent.csv", "--slug", "x")
    assert "404" in str(error.value)


def test_import_dataset_reports_rejected_rows(capsys):
    call_command(
        "import_dataset",
        str(DEMO_DIR / "paca-lieux-inclusion-numerique.json"),
        "--slug",
        "inclusion",
        "--profile",
        "lieux-inclusion-numerique-paca",
    )
    out = capsys.readouterr().out
    assert "14 ligne(s) rejetée(s)" in out
    assert "rejetée : latitude vide" in out


def test_import_dataset_errors_are_command_errors(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_dataset", str(tmp_path / "nope.csv"), "--slug", "x")
    bad_profile = tmp_path / "bad.json"
    bad_profile.write_text("{not json")
    with pytest.raises(CommandError, match="JSON valide"):
        call_command(
            "import_dataset",
            str(DEMO_DIR / "lycees-paca-2025.csv"),
            "--slug",
            "x",
            "--profile",
            str(bad_profile),
        )


def test_export_dataset_csv_and_geojson(tmp_path):
    call_command(
        "import_dataset",
        str(DEMO_DIR / "lycees-paca-2025.csv"),
        "--slug",
        "lycees",
        "--profile",
        "lycees-paca",
    )
    csv_path, geojson_path = tmp_path / "l.csv", tmp_path / "l.geojson"
    call_command("export_dataset", "lycees", "--format", "csv", "--output", str(csv_path))
    call_command("export_dataset", "lycees", "--format", "geojson", "--output", str(geojson_path))
    assert csv_path.read_text(encoding="utf-8").splitlines()[0].startswith("uai,nom,type")
    assert len(json.loads(geojson_path.read_text(encoding="utf-8"))["features"]) == 310


def test_export_unknown_dataset():
    with pytest.raises(CommandError, match="inconnu"):
        call_command("export_dataset", "nope", "--format", "csv", "--output", "-")


def test_demo_loads_every_dataset_once(capsys):
    from workshops.models import Workshop

    call_command("demo")
    assert Dataset.objects.count() == 5
    workshop = Workshop.objects.get()
    assert workshop.status == "open" and workshop.join_code in capsys.readouterr().out
    assert workshop.entries.count() == 4  # proposals already on its live board
    call_command("demo")
    assert "déjà chargé" in capsys.readouterr().out
    assert Dataset.objects.get(slug="lycees").versions.count() == 1
