"""reconcile: a real dataset against the real Monaco extract, the report contract, decisions
that survive the next run, and errors a user can cause."""

import json

import pytest
from django.core.management import CommandError, call_command

from osm_sync.models import Match, MatchDecision, OsmObject, Reconciliation
from osm_sync.services.decisions import DecisionError, record_decision

from ..conftest import import_text

pytestmark = pytest.mark.django_db

PROFILE = {
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "lat", "lon": "lng"},
    "fields": {"telephone": {"type": "phone"}, "site_web": {"type": "url"}},
    "osm": {
        "filters": [{"amenity": "school"}],
        "ref": {"field": "code", "tag": "ref:UAI"},
        "tags": {"nom": "name", "telephone": "phone", "site_web": "website"},
        "max_distance_m": 300,
    },
}
# Monaco's schools as a portal might list them: accents lost, "St", positions a little off,
# a phone in another format, a place OSM does not have, a duplicate row.
CSV = """id,code,nom,lat,lng,telephone,site_web
1,,Ecole St Charles,43.74295,7.42720,,
2,,École de la Condamine,43.7330,7.4219,,
3,,Lycée Albert 1er,43.7310,7.4230,,https://lycee-albert1er.gouv.mc
4,,ECOLE DE FONTVIEILLE,43.7290,7.4160,,
5,,École Imaginaire,43.7400,7.4200,,
6,,Pavillon Bosio,43.7321,7.4264,+377 93 30 18 39,
7,,École de la Condamine,43.73301,7.42191,,
8,,Ecole des Carmes,43.7486,7.4350,,
"""
CONTRACT_KEYS = {
    "id",
    "status",
    "osm",
    "candidates",
    "score",
    "distance_m",
    "reasons",
    "differences",
}


@pytest.fixture
def ecoles(monaco_schools):
    return import_text(CSV, "ecoles", PROFILE).dataset


def reconcile(tmp_path, slug="ecoles"):
    path = tmp_path / "report.geojson"
    call_command("reconcile", slug, "--output", str(path))
    return json.loads(path.read_text(encoding="utf-8"))


def by_id(report):
    return {f["properties"]["id"]: f["properties"] for f in report["features"]}


def test_the_report_follows_the_contract(ecoles, tmp_path):
    report = reconcile(tmp_path)
    assert report["type"] == "FeatureCollection"
    features = report["features"]
    dataset_lines = [f for f in features if f["properties"]["id"] is not None]
    osm_lines = [f for f in features if f["properties"]["id"] is None]
    assert [f["properties"]["id"] for f in dataset_lines] == [str(n) for n in range(1, 9)]
    for feature in features:
        properties = feature["properties"]
        assert CONTRACT_KEYS <= set(properties)
        assert properties["status"] in {
            "matched",
            "ambiguous",
            "missing_in_osm",
            "missing_in_dataset",
        }
        assert properties["osm"] is None or properties["osm"].split("/")[0] in {
            "node",
            "way",
            "relation",
        }
        assert all(isinstance(reason, str) and reason for reason in properties["reasons"])
        assert feature["geometry"]["type"] in {"Point", "Polygon", "MultiPolygon", "LineString"}
        if properties["score"] is not None:
            assert 0 <= properties["score"] <= 1
    # Every school of the snapshot is in the report once, matched or missing in the dataset.
    matched_osm = {f["properties"]["osm"] for f in dataset_lines if f["properties"]["osm"]}
    osm_only = {f["properties"]["osm"] for f in osm_lines}
    assert all(f["properties"]["status"] == "missing_in_dataset" for f in osm_lines)
    assert matched_osm | osm_only == {o.ref for o in OsmObject.objects.all()}
    assert not matched_osm & osm_only


def test_each_kind_of_outcome_with_its_reasons(ecoles, tmp_path):
    lines = by_id(reconcile(tmp_path))
    assert (lines["1"]["status"], lines["1"]["osm"]) == ("matched", "node/280489204")
    assert "même nom" in lines["1"]["reasons"]
    assert (lines["3"]["status"], lines["3"]["osm"]) == ("matched", "relation/1484190")
    assert (lines["4"]["status"], lines["4"]["osm"]) == ("matched", "way/176131190")
    assert lines["5"]["status"] == "missing_in_osm"
    assert lines["5"]["candidates"] and "correspondance trop faible" in lines["5"]["reasons"][-1]
    # Rows 2 and 7 are the same school: reported, and only one gets the OSM object.
    assert lines["2"]["duplicates"] == ["7"] and lines["7"]["duplicates"] == ["2"]
    assert {lines["2"]["status"], lines["7"]["status"]} == {"matched", "missing_in_osm"}
    assert any("doublon probable de 7" in reason for reason in lines["2"]["reasons"])


def test_differences_are_computed_on_normalised_values(ecoles, tmp_path):
    lines = by_id(reconcile(tmp_path))
    # "+377 93 30 18 39" in the dataset, "+37793301839" in OSM: not a difference.
    assert lines["6"]["osm"] == "node/7835335117"
    assert not [d for d in lines["6"]["differences"] if d["tag"] == "phone"]
    # The same site with and without "https://", a trailing slash: not a difference either.
    assert not [d for d in lines["3"]["differences"] if d["tag"] == "website"]
    # Accents and "St" are real differences that the data owner may want to fix.
    assert {
        "field": "nom",
        "tag": "name",
        "dataset": "Ecole St Charles",
        "osm": "École Saint-Charles",
    } in lines["1"]["differences"]
    assert lines["2"]["differences"] == [] or lines["7"]["differences"] == []


def test_the_run_is_stored(ecoles, tmp_path):
    report = reconcile(tmp_path)
    run = Reconciliation.objects.get()
    assert run.feature_count == 8 and run.candidate_count == 10
    assert run.counts == {
        status: sum(1 for f in report["features"] if f["properties"]["status"] == status)
        for status in run.counts
    }
    assert Match.objects.filter(reconciliation=run).count() == len(report["features"])
    assert run.duplicates[0]["keys"] == ["2", "7"]


def test_decisions_survive_the_next_run(ecoles, tmp_path):
    first = by_id(reconcile(tmp_path))
    assert first["1"]["osm"] == "node/280489204"
    record_decision(ecoles, "1", "node/280489204", "reject")
    record_decision(ecoles, "5", "node/7944656344", "choose")  # the dance academy, 290 m away
    call_command("match_decision", "ecoles", "4", "way/176131190", "confirm")
    second = by_id(reconcile(tmp_path))
    assert second["1"]["osm"] != "node/280489204"
    assert (second["5"]["status"], second["5"]["osm"]) == ("matched", "node/7944656344")
    assert second["5"]["reasons"][0] == "rapprochement confirmé par une personne"
    assert second["4"]["reasons"][0] == "rapprochement confirmé par une personne"
    # A decision is reversible: the latest one is in force, the earlier ones stay as history.
    record_decision(ecoles, "1", "node/280489204", "confirm")
    third = by_id(reconcile(tmp_path))
    assert third["1"]["osm"] == "node/280489204"
    assert MatchDecision.objects.filter(feature_key="1").count() == 2


@pytest.mark.parametrize(
    ("key", "ref", "action", "message"),
    [
        ("1", "node/1", "maybe", "Décision inconnue"),
        ("1", "n123", "confirm", "Identifiant OSM invalide"),
        ("99", "node/1", "confirm", "n’a pas d’objet"),
    ],
)
def test_bad_decisions_are_refused(ecoles, key, ref, action, message):
    with pytest.raises(DecisionError, match=message):
        record_decision(ecoles, key, ref, action)


def test_objects_changed_since_the_last_run_are_flagged_then_cleared(ecoles, tmp_path):
    OsmObject.objects.filter(osm_id=280489204).update(needs_review=True)
    lines = by_id(reconcile(tmp_path))
    assert (
        "l’objet OSM a changé depuis le dernier rapprochement : à revoir" in lines["1"]["reasons"]
    )
    assert not OsmObject.objects.filter(needs_review=True).exists()


def test_errors_a_user_can_cause(monaco_schools, tmp_path, lycees):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("reconcile", "nope")
    import_text(
        "id,nom,lat,lng\n1,X,43.7,7.4\n",
        "plain",
        {"id_field": "id", "name_field": "nom", "geometry": {"lat": "lat", "lon": "lng"}},
    )
    with pytest.raises(CommandError, match="partie « osm »"):
        call_command("reconcile", "plain")
    with pytest.raises(CommandError, match="Impossible d’écrire le rapport"):
        call_command("reconcile", "lycees", "--output", str(tmp_path / "no" / "such" / "dir.json"))


def test_reconcile_needs_a_snapshot(db, tmp_path):
    import_text(CSV, "ecoles", PROFILE)
    with pytest.raises(CommandError, match="osm_load"):
        call_command("reconcile", "ecoles")


def test_a_real_dataset_against_a_real_extract(monaco_schools, lycees, tmp_path):
    """The 310 high schools of the region against Monaco: most are far from any Monaco
    school (missing in OSM); Monaco's schools are missing in the dataset."""
    report = reconcile(tmp_path, "lycees")
    statuses = [f["properties"]["status"] for f in report["features"]]
    assert (
        statuses.count("missing_in_osm") + statuses.count("matched") + statuses.count("ambiguous")
        == 310
    )
    assert statuses.count("missing_in_dataset") >= 1
