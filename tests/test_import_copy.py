"""New features go to PostgreSQL with COPY: the rows must be exactly those bulk_create writes.

On PostgreSQL these tests run the COPY path and compare it with the bulk_create path (switched
on with `importer.COPY_NEW_FEATURES = False`); on SQLite both imports take the bulk_create path,
so the same tests check that path, and that COPY is never tried there.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from coproduction.importing.errors import ImportFileError
from coproduction.models import Dataset, DatasetVersion, Feature, FeatureVersion
from coproduction.services import importer, pg_copy

from .conftest import import_demo_file, import_text

ON_POSTGRESQL = connection.vendor == "postgresql"
DEMO_FILE = "paca-lieux-inclusion-numerique.json"
DEMO_PROFILE = "lieux-inclusion-numerique-paca"
POINT_PROFILE = {"id_field": "id", "name_field": "nom", "geometry": {"lat": "lat", "lon": "lon"}}

# Compared separately: they differ between two imports by construction.
FEATURE_OWN = {"id", "dataset", "first_version", "last_version"}
HISTORY_OWN = {"id", "feature", "dataset_version", "created_at"}

# Values that COPY's text format must escape, or that JSON writes in more than one way. (Not
# 1e16: jsonb, whichever way it is written, gives it back as the int 10000000000000000.)
AWKWARD_PROPERTIES: list[dict[str, Any]] = [
    {
        "id": "quotes",
        "nom": 'Le "Café" de l\'Horloge',
        "lat": 43.2965,
        "lon": 5.3698,
        "chemin": "C:\\Users\\mairie\\fichier.csv",
        "copy_escapes": "\\N \\. \\t \\\\ \\u00e9 end\\",
        "tab": "col1\tcol2",
        "lignes": "ligne 1\nligne 2\r\nligne 3\rfin",
        "unicode": "é à ç œ ß 漢字 🙂 \u2028\u00a0",
        "controle": "\x01\x07\x1f",
        "liste": [[1, 2.5, [3, "x", None]], {"k": [True, False, {'a"b': "c\\d"}]}],
        "vide": "",
        "nul": None,
        "nombres": [0, -1, 0.1, -1e-07, 12345678901234567890, 3.0],
    },
    {
        "id": "tab\tkey\\with\nnewline",
        "nom": "Nom\tavec\ttabulations\net retour",
        "lat": "43,5",
        "lon": "5,4",
        'clé "bizarre"\t\\': {"imbriqué": {"encore": ["\\", "\t", "\n", '"']}},
    },
]


def _canonical(value: Any) -> Any:
    """A value with its exact type: 1, 1.0 and True, or "1" and 1, must not compare equal."""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, datetime):
        return (datetime, value.isoformat())
    return (type(value).__name__, value)


def _row(obj: Model, excluded: set[str]) -> dict[str, Any]:
    return {
        field.attname: _canonical(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if field.name not in excluded
    }


def _features(dataset: Dataset) -> dict[str, dict[str, Any]]:
    return {f.key: _row(f, FEATURE_OWN) for f in Feature.objects.filter(dataset=dataset)}


def _history(dataset: Dataset) -> dict[tuple[str, int], dict[str, Any]]:
    return {
        (v.feature.key, v.number): _row(v, HISTORY_OWN)
        for v in FeatureVersion.objects.filter(feature__dataset=dataset).select_related("feature")
    }


@pytest.fixture
def copy_calls(monkeypatch) -> list[type[Model]]:
    """The models the importer wrote with COPY during the test."""
    calls: list[type[Model]] = []
    real = importer.copy_rows

    def spy(model, rows, using="default"):
        calls.append(model)
        return real(model, rows, using)

    monkeypatch.setattr(importer, "copy_rows", spy)
    return calls


def _import_with_bulk_create(monkeypatch, import_function, *args, **kwargs):
    monkeypatch.setattr(importer, "COPY_NEW_FEATURES", False)
    try:
        return import_function(*args, **kwargs)
    finally:
        monkeypatch.setattr(importer, "COPY_NEW_FEATURES", True)


def _counts() -> tuple[int, int, int, int]:
    return (
        Dataset.objects.count(),
        DatasetVersion.objects.count(),
        Feature.objects.count(),
        FeatureVersion.objects.count(),
    )


def _assert_same_rows(copied, created) -> None:
    """Every column of the features and of their history, except the ids and the time."""
    assert copied.added == created.added > 0
    features, expected = _features(copied.dataset), _features(created.dataset)
    assert features.keys() == expected.keys()
    for key, row in expected.items():
        assert features[key] == row, key
    history, expected_history = _history(copied.dataset), _history(created.dataset)
    assert history.keys() == expected_history.keys()
    for key, row in expected_history.items():
        assert history[key] == row, key

    version = copied.version
    assert not Feature.objects.filter(dataset=copied.dataset).exclude(
        first_version=version, last_version=version
    )
    copied_history = FeatureVersion.objects.filter(feature__dataset=copied.dataset)
    assert not copied_history.exclude(dataset_version=version)
    # Ids follow the rows of the file, as bulk_create gives them.
    by_id = Feature.objects.order_by("id").values_list("key", flat=True)
    assert list(by_id.filter(dataset=copied.dataset)) == list(by_id.filter(dataset=created.dataset))
    assert list(copied_history.order_by("id").values_list("feature_id", flat=True)) == list(
        Feature.objects.filter(dataset=copied.dataset).order_by("id").values_list("id", flat=True)
    )


@pytest.mark.django_db
def test_copy_writes_every_column_as_bulk_create_does(monkeypatch, copy_calls):
    started = timezone.now()
    copied = import_demo_file(DEMO_FILE, "copie", DEMO_PROFILE)
    finished = timezone.now()
    assert copy_calls == ([Feature, FeatureVersion] if ON_POSTGRESQL else [])
    created = _import_with_bulk_create(
        monkeypatch, import_demo_file, DEMO_FILE, "orm", DEMO_PROFILE
    )
    assert len(copy_calls) == (2 if ON_POSTGRESQL else 0)  # the second import did not COPY

    assert copied.added == 1231
    _assert_same_rows(copied, created)
    sample = Feature.objects.filter(dataset=copied.dataset).first()
    assert sample.provenance == {} and sample.is_removed is False and sample.version == 1
    assert sample.issue_codes == created.dataset.features.get(key=sample.key).issue_codes
    first = FeatureVersion.objects.filter(feature__dataset=copied.dataset)
    assert not first.exclude(number=1, change="added", contribution=None, changed_fields=[])
    for created_at in first.values_list("created_at", flat=True):
        assert timezone.is_aware(created_at) and started <= created_at <= finished


@pytest.mark.django_db
def test_awkward_json_values_survive_unchanged(monkeypatch, copy_calls):
    payload = json.dumps(AWKWARD_PROPERTIES, ensure_ascii=False)
    copied = import_text(payload, "bizarre", POINT_PROFILE, name="lieux.json")
    assert len(copy_calls) == (2 if ON_POSTGRESQL else 0)
    created = _import_with_bulk_create(
        monkeypatch, import_text, payload, "bizarre-orm", POINT_PROFILE, name="lieux.json"
    )
    _assert_same_rows(copied, created)

    for record in AWKWARD_PROPERTIES:
        feature = Feature.objects.get(dataset=copied.dataset, key=record["id"])
        assert _canonical(feature.properties) == _canonical(record)
        assert feature.properties == record
        assert feature.versions.get().properties == record
        assert feature.name == record["nom"]
    quotes = Feature.objects.get(dataset=copied.dataset, key="quotes")
    assert quotes.properties["nombres"][-2] == 12345678901234567890
    assert isinstance(quotes.properties["nombres"][-1], float)
    assert "\tcol2" in quotes.search_text and "ligne 2\r\n" in quotes.search_text


@pytest.mark.django_db
def test_reimport_after_copy_detects_changes_and_keeps_history(copy_calls):
    first = import_text(
        "id;nom;lat;lon\n1;Alpha;43.5;5.4\n2;Beta;43.6;5.5\n3;Gamma;43.7;5.6\n", "d", POINT_PROFILE
    )
    second = import_text(
        "id;nom;lat;lon\n1;Alpha;43.5;5.4\n2;Beta bis;43.6;5.5\n4;Delta;43.8;5.7\n", "d"
    )
    assert (second.added, second.changed, second.removed, second.unchanged) == (1, 1, 1, 1)
    assert len(copy_calls) == (4 if ON_POSTGRESQL else 0)  # Delta, the new one, copied too
    beta = Feature.objects.get(dataset=first.dataset, key="2")
    assert beta.name == "Beta bis" and beta.version == 2
    assert [(v.number, v.change) for v in beta.versions.all()] == [(2, "changed"), (1, "added")]
    assert beta.versions.get(number=2).changed_fields == ["nom"]
    assert beta.versions.get(number=1).properties["nom"] == "Beta"
    assert beta.versions.get(number=1).dataset_version == first.version
    gamma = Feature.objects.get(dataset=first.dataset, key="3")
    assert gamma.is_removed and gamma.versions.get(number=2).change == "removed"
    delta = Feature.objects.get(dataset=first.dataset, key="4")
    assert (delta.first_version, delta.last_version) == (second.version, second.version)
    assert delta.versions.get().dataset_version == second.version

    third = import_text("id;nom;lat;lon\n3;Gamma;43.7;5.6\n", "d")
    gamma.refresh_from_db()
    assert not gamma.is_removed and gamma.versions.get(number=3).change == "restored"
    assert third.removed == 3


@pytest.mark.django_db
def test_same_demo_file_again_changes_nothing():
    first = import_demo_file(DEMO_FILE, "inclusion", DEMO_PROFILE)
    again = import_demo_file(DEMO_FILE, "inclusion", DEMO_PROFILE)
    assert (again.added, again.changed, again.removed) == (0, 0, 0)
    assert again.unchanged == first.added == 1231
    assert FeatureVersion.objects.filter(feature__dataset=first.dataset).count() == 1231


@pytest.mark.django_db
def test_file_without_any_position_leaves_nothing():
    with pytest.raises(ImportFileError):
        import_text("id;nom;lat;lon\n1;A;;\n2;B;;\n", "sans-position", POINT_PROFILE)
    assert _counts() == (0, 0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_failure_after_the_copy_rolls_it_back(monkeypatch, copy_calls):
    """The import's own transaction is the outermost one here, as in production."""
    first = import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n", "d", POINT_PROFILE)
    before = _counts()

    def fail(*args, **kwargs):
        raise RuntimeError("failure after the rows were written")

    monkeypatch.setattr(importer, "_refresh_dataset_summary", fail)
    with pytest.raises(RuntimeError):
        import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n2;Beta;43.6;5.5\n3;C;43.7;5.6\n", "d")
    with pytest.raises(RuntimeError):
        import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n", "new", POINT_PROFILE)
    assert len(copy_calls) == (6 if ON_POSTGRESQL else 0)  # the COPYs did run

    assert _counts() == before
    assert list(Feature.objects.values_list("key", flat=True)) == ["1"]
    assert Dataset.objects.get().current_version == first.version


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="jsonb refuses \\u0000, SQLite's JSON does not")
def test_database_error_during_the_copy_leaves_nothing_and_the_connection_usable():
    import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n", "d", POINT_PROFILE)
    before = _counts()
    with pytest.raises(DatabaseError):
        import_text(
            '[{"id": "2", "nom": "ok", "lat": 43.5, "lon": 5.4}, '
            '{"id": "3", "nom": "nul", "lat": 43.6, "lon": 5.5, "x": "a\\u0000b"}]',
            "d",
            name="lieux.json",
        )
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
def test_reserved_ids_are_increasing_and_not_reused():
    import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n", "d", POINT_PROFILE)
    ids = pg_copy.reserve_ids(Feature, 5)
    assert ids == sorted(set(ids)) and len(ids) == 5
    assert ids[0] > Feature.objects.get().pk
    assert pg_copy.reserve_ids(Feature, 0) == []
    assert pg_copy.reserve_ids(Feature, 1)[0] > ids[-1]


@pytest.mark.django_db
def test_copy_is_only_tried_on_postgresql():
    assert pg_copy.copy_supported() is ON_POSTGRESQL


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
def test_copy_rows_fills_left_out_fields_as_an_unsaved_instance_would():
    import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n", "d", POINT_PROFILE)
    feature = Feature.objects.get()
    geometry = {"type": "Point", "coordinates": [5.4, 43.5]}
    written = pg_copy.copy_rows(
        FeatureVersion,
        [{"feature": feature, "number": 2, "change": "changed", "geometry": geometry}],
    )
    assert written == 1
    FeatureVersion.objects.bulk_create(
        [FeatureVersion(feature=feature, number=3, change="changed", geometry=geometry)]
    )
    copied, created = feature.versions.get(number=2), feature.versions.get(number=3)
    assert _row(copied, {"id", "number", "created_at"}) == _row(
        created, {"id", "number", "created_at"}
    )
    assert copied.properties == {} and copied.contribution is None
    assert timezone.is_aware(copied.created_at)


@pytest.mark.django_db
@pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
def test_error_raised_by_the_server_during_copy_is_a_django_error():
    import_text("id;nom;lat;lon\n1;Alpha;43.5;5.4\n", "d", POINT_PROFILE)
    feature = Feature.objects.get()
    before = _counts()
    with pytest.raises(DatabaseError), transaction.atomic():
        pg_copy.copy_rows(
            FeatureVersion,
            [
                {
                    "feature_id": feature.pk,
                    "number": 2,
                    "change": "changed",
                    "properties": {"x": "a\u0000b"},  # jsonb refuses \u0000
                    "geometry": feature.geometry,
                }
            ],
        )
    assert _counts() == before
