import csv
import io
import json

import pytest

from coproduction.models import Dataset
from coproduction.services.exporter import write_csv, write_geojson

from .conftest import DEMO_DIR, import_demo_file, import_text

pytestmark = pytest.mark.django_db


def test_csv_export_keeps_the_source_layout():
    report = import_demo_file("cinemas-paca-2022.csv", "cinemas", "cinemas-paca")
    buffer = io.StringIO()
    count = write_csv(report.dataset, buffer)
    assert count == 199
    source = (DEMO_DIR / "cinemas-paca-2022.csv").read_text(encoding="utf-8")
    source_rows = list(csv.reader(io.StringIO(source), delimiter=";"))
    exported_rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert exported_rows[0] == source_rows[0]
    # Same file, same values, same order: an untouched dataset round-trips exactly.
    assert exported_rows == source_rows


def test_csv_export_of_a_json_source_uses_its_keys():
    report = import_demo_file(
        "aix-en-provence-mediation-numerique.json", "aix", "mediation-numerique-aix"
    )
    rows = list(csv.DictReader(io.StringIO(_csv(report.dataset))))
    source = json.loads((DEMO_DIR / "aix-en-provence-mediation-numerique.json").read_text())
    assert list(rows[0]) == list(source[0])
    assert rows[0]["nom"] == source[0]["nom"]
    assert rows[0]["code_postal"] == str(source[0]["code_postal"])


def test_geojson_export_has_properties_under_source_names():
    report = import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca")
    collection = json.loads(_geojson(report.dataset))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 310
    first = collection["features"][0]
    assert first["properties"]["uai"] == "0040010P"
    assert first["properties"]["codePostal"] == "04103"
    assert first["geometry"] == {
        "type": "Point",
        "coordinates": [5.78133675253913, 43.837804657894324],
    }


def test_export_leaves_out_removed_features():
    profile = {"id_field": "id", "geometry": {"lat": "lat", "lon": "lon"}}
    import_text("id;lat;lon\n1;43.5;5.4\n2;43.6;5.5\n", "rm", profile)
    import_text("id;lat;lon\n2;43.6;5.5\n", "rm")
    assert _csv(Dataset.objects.get(slug="rm")) == "id;lat;lon\r\n2;43.6;5.5\r\n"


def test_geojson_source_exported_as_csv_gets_position_columns():
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        '{"id": "a"}, "geometry": {"type": "Point", "coordinates": [5.4, 43.5]}}]}'
    )
    report = import_text(text, "geo", name="x.geojson")
    rows = list(csv.DictReader(io.StringIO(_csv(report.dataset))))
    assert rows == [{"id": "a", "latitude": "43.5", "longitude": "5.4", "geometry_wkt": ""}]


def _csv(dataset) -> str:
    buffer = io.StringIO()
    write_csv(dataset, buffer)
    return buffer.getvalue()


def _geojson(dataset) -> str:
    buffer = io.StringIO()
    write_geojson(dataset, buffer)
    return buffer.getvalue()
