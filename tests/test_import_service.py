"""The import service against the region's real files and against broken ones."""

import pytest
from django.test import override_settings

from coproduction.importing import sources
from coproduction.importing.errors import ImportFileError
from coproduction.models import Dataset, DatasetVersion, Feature, FeatureVersion
from coproduction.services.demo import demo_manifest

from .conftest import import_demo_file, import_text

pytestmark = pytest.mark.django_db

POINT_PROFILE = {"id_field": "id", "name_field": "nom", "geometry": {"lat": "lat", "lon": "lon"}}


@pytest.mark.parametrize("entry", demo_manifest(), ids=lambda e: e["slug"])
def test_every_shipped_dataset_imports_with_its_profile(entry):
    report = import_demo_file(entry["file"], entry["slug"], entry["profile"], title=entry["title"])
    dataset = report.dataset
    assert dataset.feature_count == report.added > 0
    assert dataset.current_version.number == 1
    assert len(dataset.bbox) == 4
    assert Feature.objects.filter(dataset=dataset).count() == dataset.feature_count
    assert FeatureVersion.objects.filter(feature__dataset=dataset).count() == dataset.feature_count


def test_regional_inclusion_places_as_they_really_are():
    report = import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    )
    version = report.version
    assert version.rows_read == 1245
    # 14 places have no coordinates at all: rejected with their record number and reason.
    assert version.rows_rejected == 14
    assert all("vide" in r["reason"] for r in version.rejected_rows)
    assert report.added == 1231
    digne = Feature.objects.get(
        dataset=report.dataset, key="Centre Communal d'Action Sociale|DIGNE-LES-BAINS"
    )
    codes = {(p["code"], p["field"]) for p in digne.quality_issues}
    # Postcode 04000 lost its leading zero in the portal file; SIRET is missing.
    assert ("postcode_format", "adresse_code_postal") in codes
    assert ("required_missing", "siret") in codes
    assert digne.properties["adresse_code_postal"] == 4000  # kept as published
    assert (
        Feature.objects.filter(
            dataset=report.dataset, issue_codes__contains=" opening_hours_format "
        ).count()
        > 100
    )


def test_csv_with_destroyed_accents_imports_and_shows_its_damage():
    report = import_demo_file(
        "regionsud-lieux-inclusion-numerique-2022_v2.csv",
        "inclusion-csv",
        "lieux-inclusion-numerique-paca",
    )
    assert report.version.delimiter == ";"
    assert report.added == 1231
    damaged = Feature.objects.filter(
        dataset=report.dataset, issue_codes__contains=" encoding_damaged "
    )
    assert damaged.count() > 1000
    feature = damaged.filter(name__startswith="Biblioth").first()
    assert "\ufffd" in feature.name


def test_cinemas_read_their_single_lat_lon_column():
    report = import_demo_file("cinemas-paca-2022.csv", "cinemas", "cinemas-paca")
    armand = Feature.objects.get(dataset=report.dataset, key="13454")
    assert (armand.lat, armand.lon) == (43.524462, 5.439812)
    assert armand.name == "ARMAND LUNEL"


def test_high_schools_sharing_a_uai_keep_separate_identities():
    report = import_demo_file("lycees-paca-2025.csv", "lycees", "lycees-paca")
    assert report.added == 310
    keys = set(
        Feature.objects.filter(dataset=report.dataset, key__startswith="0131747D").values_list(
            "key", flat=True
        )
    )
    assert keys == {"0131747D|GT", "0131747D|Pro"}


def test_reimport_makes_a_new_version_and_reports_the_difference():
    first = import_text(
        "id;nom;lat;lon\n1;Alpha;43.5;5.4\n2;Beta;43.6;5.5\n3;Gamma;43.7;5.6\n", "d", POINT_PROFILE
    )
    alpha = Feature.objects.get(dataset=first.dataset, key="1")
    second = import_text(
        "id;nom;lat;lon\n1;Alpha;43.5;5.4\n2;Beta bis;43.6;5.5\n4;Delta;43.8;5.7\n", "d"
    )
    assert second.version.number == 2
    assert (second.added, second.changed, second.removed, second.unchanged) == (1, 1, 1, 1)
    assert Feature.objects.get(pk=alpha.pk).version == 1  # identity kept, untouched
    beta = Feature.objects.get(dataset=first.dataset, key="2")
    assert beta.name == "Beta bis" and beta.version == 2
    assert beta.versions.get(number=2).changed_fields == ["nom"]
    assert beta.versions.get(number=1).properties["nom"] == "Beta"  # history kept
    gamma = Feature.objects.get(dataset=first.dataset, key="3")
    assert gamma.is_removed and gamma.versions.get(number=2).change == "removed"
    dataset = Dataset.objects.get(slug="d")
    assert dataset.feature_count == 3
    assert list(dataset.versions.values_list("number", flat=True)) == [2, 1]

    third = import_text("id;nom;lat;lon\n3;Gamma;43.7;5.6\n", "d")
    gamma.refresh_from_db()
    assert not gamma.is_removed and gamma.versions.get(number=3).change == "restored"
    assert third.removed == 3


def test_rows_with_unusable_coordinates_are_rejected_the_rest_imports():
    report = import_text(
        "id;nom;lat;lon\n"
        "1;ok;43,5;5,4\n"
        "2;vide;;5.4\n"
        "3;texte;abc;5.4\n"
        "4;nan;NaN;5.4\n"
        "5;hors limites;95;5.4\n"
        "6;zéro;0;0\n"
        "7;ok aussi;43.6;5.5\n",
        "bad",
        POINT_PROFILE,
    )
    assert report.added == 2
    rejected = {r.row: r.reason for r in report.rejected}
    assert set(rejected) == {3, 4, 5, 6, 7}
    assert "vide" in rejected[3]
    assert "nombre" in rejected[4] and "nombre" in rejected[5]
    assert "hors limites" in rejected[6]
    assert "zéro" in rejected[7]
    assert report.version.rejected_rows[0] == {"row": 3, "reason": rejected[3]}


def test_swapped_coordinates_are_flagged_not_fixed():
    report = import_text("id;nom;lat;lon\n1;A;5.4;43.5\n", "swap", POINT_PROFILE)
    feature = Feature.objects.get(dataset=report.dataset)
    assert (feature.lat, feature.lon) == (5.4, 43.5)
    assert [p["code"] for p in feature.quality_issues] == ["swapped_coordinates"]


def test_latin1_file_imports_with_its_accents():
    report = import_text(
        "id;nom;lat;lon\n1;Médiathèque;43.5;5.4\n", "latin", POINT_PROFILE, encoding="cp1252"
    )
    assert report.version.encoding == "cp1252"
    assert Feature.objects.get(dataset=report.dataset).name == "Médiathèque"


def test_geojson_without_profile_keeps_polygons():
    text = (
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"nom": "Parc", "id": "p1"}, "geometry": '
        '{"type": "Polygon", "coordinates": '
        "[[[5.4, 43.5], [5.5, 43.5], [5.5, 43.6], [5.4, 43.5]]]}},"
        '{"type": "Feature", "properties": {"nom": "Sans géométrie", "id": "p2"}, "geometry": null}'
        "]}"
    )
    report = import_text(text, "geo", name="parcs.geojson")
    feature = Feature.objects.get(dataset=report.dataset)
    assert feature.key == "p1" and feature.geometry_type == "Polygon"
    assert (feature.min_lon, feature.max_lat) == (5.4, 43.6)
    assert 5.4 < feature.lon < 5.5
    assert report.rejected[0].row == 2


def test_csv_without_profile_finds_usual_columns():
    report = import_text("nom,latitude,longitude\nA,43.5,5.4\n", "guess")
    assert Feature.objects.get(dataset=report.dataset).name == "A"


def test_csv_without_coordinates_is_refused_clearly():
    with pytest.raises(ImportFileError) as error:
        import_text("nom,ville\nA,Nice\n", "nocoords")
    assert "coordonnées" in error.value.message
    assert not Dataset.objects.filter(slug="nocoords").exists()


def test_file_where_no_row_has_a_position_changes_nothing():
    with pytest.raises(ImportFileError) as error:
        import_text("id;nom;lat;lon\n1;A;;\n", "empty-positions", POINT_PROFILE)
    assert "ligne 2" in error.value.message
    assert not Dataset.objects.filter(slug="empty-positions").exists()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        b"id;nom;lat;lon\n1;A;43.5;5.4\n2;B;43",
        b'[{"id": 1, "nom": "A", "lat": 43.5, "lon": 5.4}, {"id": 2',
    ],
    ids=["empty", "binary", "truncated-csv", "truncated-json"],
)
def test_failed_reimport_leaves_the_previous_version_in_place(content):
    import_text("id;nom;lat;lon\n1;A;43.5;5.4\n", "keep", POINT_PROFILE)
    with pytest.raises(ImportFileError):
        from coproduction.services.importer import import_dataset

        import_dataset(sources.SourceFile("new.csv", content), "keep")
    dataset = Dataset.objects.get(slug="keep")
    assert dataset.current_version.number == 1
    assert DatasetVersion.objects.filter(dataset=dataset).count() == 1
    assert Feature.objects.get(dataset=dataset).name == "A"


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"id;nom;lat;lon\n" + b"1;A;43.5;5.4\n" * 100)
    with override_settings(IMPORT_MAX_BYTES=500):
        with pytest.raises(ImportFileError) as error:
            sources.from_path(path)
    assert "limite" in error.value.message


def test_duplicate_identifiers_are_kept_and_flagged():
    report = import_text("id;nom;lat;lon\n1;A;43.5;5.4\n1;B;43.6;5.5\n", "dup", POINT_PROFILE)
    features = Feature.objects.filter(dataset=report.dataset).order_by("row_number")
    assert [f.key for f in features] == ["1", "1#2"]
    assert all("duplicate_id" in f.issue_codes for f in features)


def test_missing_id_column_in_a_reimport_is_refused():
    import_text("id;nom;lat;lon\n1;A;43.5;5.4\n", "ids", POINT_PROFILE)
    with pytest.raises(ImportFileError) as error:
        import_text("ident;nom;lat;lon\n1;A;43.5;5.4\n", "ids")
    assert "identifiant" in error.value.message
