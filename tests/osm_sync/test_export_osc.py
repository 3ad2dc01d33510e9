"""export_dataset --format osc|josm: accepted contributions on Monaco's schools, taken to
OpenStreetMap mappers, and checked from outside with osmium-tool (apply-changes, fileinfo)."""

from __future__ import annotations

import json
import subprocess
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import osmium
import pytest
from django.core.management import CommandError, call_command

from coproduction.models import Contribution, Contributor, Dataset
from coproduction.services.contributions import create_contribution
from coproduction.services.review import accept, reject
from osm_sync.export.licences import is_osm_compatible
from osm_sync.export.tag_values import differs, osm_value
from osm_sync.models import OsmObject
from osm_sync.services.decisions import record_decision

from ..conftest import import_text
from .conftest import MONACO, OSMIUM

SLUG = "ecoles-monaco"
PROFILE = {
    "title": "Écoles de Monaco",
    "licence": "etalab-2.0",
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "lat", "lon": "lng"},
    "fields": {
        "telephone": {"type": "phone"},
        "site_web": {"type": "url"},
        "horaires": {"type": "opening_hours"},
    },
    "osm": {
        "filters": [{"amenity": "school"}],
        "tags": {
            "nom": "name",
            "telephone": "phone",
            "site_web": "website",
            "horaires": "opening_hours",
        },
        "max_distance_m": 300,
    },
}
# Monaco's schools as the portal lists them, near their OSM positions, plus one OSM lacks.
CSV = """id,nom,lat,lng,telephone,site_web,horaires,cp
1,École Saint-Charles,43.74290,7.42718,,,,98000
2,École des Carmes,43.74867,7.43506,,,,98000
3,Pavillon Bosio,43.73220,7.42653,,,,98000
4,ECOLE DE FONTVIEILLE,43.7290,7.4160,,,,98000
5,Lycée Albert 1er,43.7310,7.4230,,,,98000
6,École Imaginaire,43.7400,7.4200,,,,98000
7,École de la Condamine,43.73285,7.42174,,,,98000
8,École du Parc,43.73259,7.41416,,,,98000
"""
SAINT_CHARLES, CARMES, BOSIO = 280489204, 1872391440, 7835335117
FONTVIEILLE, ALBERT, CONDAMINE, PARC, DANCE = (
    176131190,
    1484190,
    1867162684,
    6460987741,
    7944656344,
)
MOVED_CARMES = (43.7488, 7.4353)


@dataclass
class Scene:
    dataset: Dataset
    contributions: dict[str, Contribution]


@pytest.fixture
def scene(db, django_user_model) -> Scene:
    """The workshop's story: reconcile, propose, review, reconcile again before exporting."""
    dataset = import_text(CSV, SLUG, PROFILE).dataset
    call_command("osm_load", str(MONACO), stdout=StringIO())
    call_command("reconcile", SLUG, stdout=StringIO())
    reviewer = django_user_model.objects.create_superuser("relectrice", "r@example.org", "pw-1234")
    author = Contributor.for_user(
        django_user_model.objects.create_user("alice", "alice@example.org", "pw-123456789")
    )

    def propose(kind: str, key: str | None = None, **kwargs) -> Contribution:
        feature = dataset.features.get(key=key) if key else None
        contribution, _created = create_contribution(
            author, dataset, client_uuid=uuid.uuid4(), kind=kind, feature=feature, **kwargs
        )
        return contribution

    def accepted(kind: str, key: str | None = None, **kwargs) -> Contribution:
        return accept(propose(kind, key, **kwargs), reviewer)

    contributions = {
        "phone": accepted(
            "attributes",
            "1",
            changes={"telephone": "04 93 12 34 56", "horaires": "Mo-Fr 08:30-16:30"},
        ),
        "comment": accepted("comment", "1", comment="Le portail est rue Saint-Charles."),
        "postcode": accepted("attributes", "1", changes={"cp": "98001"}),
        "move": accepted("move", "2", geometry=_point(*MOVED_CARMES)),
        "website": accepted("attributes", "4", changes={"site_web": "https://ecole.mc"}),
        "way_move": accepted("move", "4", geometry=_point(43.7291, 7.4161)),
        "relation": accepted("attributes", "5", changes={"telephone": "+377 98 98 86 00"}),
        "same_phone": accepted("attributes", "3", changes={"telephone": "+377 93 30 18 39"}),
        "unmatched": accepted("attributes", "6", changes={"telephone": "+377 93 15 00 00"}),
        "before_closing": accepted("attributes", "7", changes={"horaires": "Mo-Fr 08:00-16:00"}),
        "closed": accepted("closed", "7", comment="L’école a déménagé."),
        "add": accepted(
            "add",
            changes={"nom": "École des Révoires", "telephone": "04 93 00 00 01"},
            geometry=_point(43.7372, 7.4150),
        ),
        "pending": propose("attributes", "8", changes={"telephone": "+377 93 25 00 00"}),
        "rejected": propose("attributes", "2", changes={"nom": "Ecole Carmes"}),
    }
    reject(contributions["rejected"], reviewer, reason="wrong")
    # A correction of the added place goes into the node that creates it.
    new_key = contributions["add"].feature.key
    contributions["add_fix"] = accepted("attributes", new_key, changes={"horaires": "Mo-Sa"})
    call_command("reconcile", SLUG, stdout=StringIO())
    return Scene(dataset, contributions)


def _point(lat: float, lon: float) -> dict:
    return {"type": "Point", "coordinates": [lon, lat]}


def export(tmp_path: Path, format: str = "osc") -> tuple[Path, str]:
    path = tmp_path / f"export.{'osm' if format == 'josm' else format}"
    out = StringIO()
    call_command("export_dataset", SLUG, "--format", format, "--output", str(path), stdout=out)
    return path, out.getvalue()


def elements(root: ET.Element, block: str | None = None) -> dict[str, ET.Element]:
    parents = root.findall(block) if block else [root]
    return {
        f"{element.tag}/{element.get('id')}": element
        for parent in parents
        for element in parent
        if element.tag in ("node", "way", "relation")
    }


def tags(element: ET.Element) -> dict[str, str]:
    return {tag.get("k"): tag.get("v") for tag in element.findall("tag")}


def snapshot_object(osm_type: str, osm_id: int) -> OsmObject:
    return OsmObject.objects.get(osm_type=osm_type, osm_id=osm_id)


def test_the_osmchange_modifies_with_versions_and_creates_with_negative_ids(scene, tmp_path):
    path, _report = export(tmp_path)
    root = ET.parse(path).getroot()
    assert (root.tag, root.get("version"), root.get("generator")) == (
        "osmChange",
        "0.6",
        "Carte Commune",
    )
    assert root.findall("delete") == []
    modified = elements(root, "modify")
    assert set(modified) == {f"node/{SAINT_CHARLES}", f"node/{CARMES}", f"way/{FONTVIEILLE}"}

    saint_charles = modified[f"node/{SAINT_CHARLES}"]
    original = snapshot_object("node", SAINT_CHARLES)
    assert saint_charles.get("version") == str(original.version) == "3"
    assert tags(saint_charles) == {
        **original.tags,  # every existing tag is kept
        "phone": "+33 4 93 12 34 56",
        "opening_hours": "Mo-Fr 08:30-16:30",
    }
    assert (saint_charles.get("lat"), saint_charles.get("lon")) == ("43.7428901", "7.4271698")

    carmes = modified[f"node/{CARMES}"]
    assert carmes.get("version") == "5"
    assert (float(carmes.get("lat")), float(carmes.get("lon"))) == MOVED_CARMES
    assert tags(carmes) == snapshot_object("node", CARMES).tags

    way = modified[f"way/{FONTVIEILLE}"]
    assert way.get("version") == "4"
    assert [int(nd.get("ref")) for nd in way.findall("nd")] == snapshot_object(
        "way", FONTVIEILLE
    ).node_refs
    assert tags(way) == {
        "name": "École de Fontvieille",
        "amenity": "school",
        "website": "https://ecole.mc",
    }

    created = elements(root, "create")
    assert list(created) == ["node/-1"]
    assert tags(created["node/-1"]) == {
        "amenity": "school",
        "name": "École des Révoires",
        "phone": "+33 4 93 00 00 01",
        "opening_hours": "Mo-Sa",
    }
    assert (created["node/-1"].get("lat"), created["node/-1"].get("lon")) == (
        "43.7372000",
        "7.4150000",
    )
    assert created["node/-1"].get("version") is None

    header = path.read_text(encoding="utf-8").split("<osmChange")[0]
    assert "source=Carte Commune — Écoles de Monaco (etalab-2.0)" in header
    assert "hashtags=#CarteCommune" in header and "comment=" in header
    assert f"École de la Condamine (node/{CONDAMINE})" in header


def test_what_is_left_out_is_reported_with_its_reason(scene, tmp_path):
    path, report = export(tmp_path)
    ids = {name: contribution.pk for name, contribution in scene.contributions.items()}

    def reason_for(name: str) -> str:
        lines = [line for line in report.splitlines() if f"contribution n° {ids[name]} " in line]
        assert lines, f"{name} is not in the report:\n{report}"
        return " ".join(lines)

    assert "3 objet(s) OSM modifié(s), 1 créé(s), aucun supprimé" in report
    assert "d’après 5 contribution(s) acceptée(s)" in report
    assert "jamais déplacée automatiquement" in reason_for("way_move")
    assert "relation" in reason_for("relation")
    assert "OpenStreetMap a déjà ces valeurs" in reason_for("same_phone")
    assert "aucun objet OpenStreetMap ne correspond" in reason_for("unmatched")
    assert "(cp) n’a d’équivalent OSM" in reason_for("postcode")
    assert f"node/{CONDAMINE}" in reason_for("closed")
    assert "n’est plus dans le jeu de données" in reason_for("before_closing")
    assert "1 commentaire accepté" in report
    for name in ("pending", "rejected", "comment", "add", "add_fix", "phone", "move"):
        assert f"contribution n° {ids[name]} " not in report
    # Neither the relation, the unchanged phone, the closed school nor the pending proposal
    # is touched: nothing else than the three modified objects and the new node.
    text = path.read_text(encoding="utf-8")
    for osm_id in (ALBERT, BOSIO, CONDAMINE, PARC, DANCE):
        assert f'id="{osm_id}"' not in text


def test_osmium_applies_the_change_onto_the_extract(scene, tmp_path):
    path, _report = export(tmp_path)
    result = tmp_path / "result.osm"
    subprocess.run(
        [str(OSMIUM), "apply-changes", str(MONACO), str(path), "-o", str(result)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
    )
    objects = {}
    for obj in osmium.FileProcessor(str(result)):
        if obj.id in (SAINT_CHARLES, CARMES, FONTVIEILLE, ALBERT, BOSIO, CONDAMINE, -1):
            location = (obj.location.lat, obj.location.lon) if obj.is_node() else None
            nodes = [n.ref for n in obj.nodes] if obj.is_way() else None
            objects[(obj.type_str(), obj.id)] = (dict(obj.tags), location, nodes)
    assert objects[("n", SAINT_CHARLES)][0]["phone"] == "+33 4 93 12 34 56"
    assert objects[("n", CARMES)][1] == pytest.approx(MOVED_CARMES)
    way_tags, _location, way_nodes = objects[("w", FONTVIEILLE)]
    assert way_tags["website"] == "https://ecole.mc"
    assert way_nodes == snapshot_object("way", FONTVIEILLE).node_refs
    new_tags, new_location, _nodes = objects[("n", -1)]
    assert new_tags["name"] == "École des Révoires" and new_tags["amenity"] == "school"
    assert new_location == pytest.approx((43.7372, 7.4150))
    # Nothing deleted, nothing else changed.
    assert ("n", CONDAMINE) in objects
    assert "phone" not in objects[("r", ALBERT)][0]
    assert objects[("n", BOSIO)][0]["phone"] == "+37793301839"


def test_the_josm_file_is_ready_for_josm_and_read_back_by_osmium(scene, tmp_path):
    path, report = export(tmp_path, "josm")
    assert "Fichier JOSM écrit" in report
    root = ET.parse(path).getroot()
    assert (root.tag, root.get("version"), root.get("upload")) == ("osm", "0.6", "false")
    changeset = {tag.get("k"): tag.get("v") for tag in root.find("changeset")}
    assert changeset["source"] == "Carte Commune — Écoles de Monaco (etalab-2.0)"
    assert changeset["hashtags"] == "#CarteCommune" and "#CarteCommune" in changeset["comment"]
    objects = elements(root)
    assert set(objects) == {
        "node/-1",
        f"node/{SAINT_CHARLES}",
        f"node/{CARMES}",
        f"way/{FONTVIEILLE}",
    }
    for ref, element in objects.items():
        assert element.get("action") == "modify"
        # JOSM refuses an existing object without its version; a new one has none.
        assert (element.get("version") is None) == ref.endswith("/-1")

    info = subprocess.run(
        [str(OSMIUM), "fileinfo", "-e", "-j", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(info.stdout)["data"]
    assert data["count"]["nodes"] == 3 and data["count"]["ways"] == 1
    assert data["minid"]["nodes"] == -1
    read_back = {"changesets": [], "objects": {}}
    for obj in osmium.FileProcessor(str(path)):
        if isinstance(obj, osmium.osm.Changeset):
            read_back["changesets"].append(dict(obj.tags))
        else:
            read_back["objects"][(obj.type_str(), obj.id)] = dict(obj.tags)
    assert read_back["changesets"] == [changeset]
    assert read_back["objects"][("n", -1)]["name"] == "École des Révoires"
    assert read_back["objects"][("w", FONTVIEILLE)]["website"] == "https://ecole.mc"


def test_objects_changed_since_the_reconciliation_are_skipped(scene, tmp_path):
    OsmObject.objects.filter(osm_type="node", osm_id=SAINT_CHARLES).update(needs_review=True)
    path, report = export(tmp_path)
    assert f"node/{SAINT_CHARLES}" not in elements(ET.parse(path).getroot(), "modify")
    assert f"l’objet OSM node/{SAINT_CHARLES} a changé depuis le dernier rapprochement" in report


def test_decisions_taken_after_the_run_are_honoured(scene, tmp_path):
    record_decision(scene.dataset, "1", f"node/{SAINT_CHARLES}", "reject")
    record_decision(scene.dataset, "6", f"node/{DANCE}", "choose")
    path, report = export(tmp_path)
    modified = elements(ET.parse(path).getroot(), "modify")
    assert f"node/{SAINT_CHARLES}" not in modified
    assert tags(modified[f"node/{DANCE}"])["phone"] == "+377 93 15 00 00"
    assert "rejeté par une personne" in report


@pytest.mark.parametrize("format", ["osc", "josm"])
def test_an_incompatible_licence_is_refused(scene, tmp_path, format):
    Dataset.objects.filter(pk=scene.dataset.pk).update(licence="CC-BY-NC-4.0")
    path = tmp_path / "refused.osc"
    with pytest.raises(CommandError) as refusal:
        call_command("export_dataset", SLUG, "--format", format, "--output", str(path))
    assert (
        "La licence « CC-BY-NC-4.0 » n’est pas compatible avec OpenStreetMap : export refusé."
        in str(refusal.value)
    )
    assert not path.exists()


def test_an_export_needs_a_reconciliation_on_the_current_snapshot(db, tmp_path):
    import_text(CSV, SLUG, PROFILE)
    with pytest.raises(CommandError, match=f"lancez d’abord « reconcile {SLUG} »"):
        export(tmp_path)
    call_command("osm_load", str(MONACO), stdout=StringIO())
    call_command("reconcile", SLUG, stdout=StringIO())
    _path, report = export(tmp_path)
    assert "0 objet(s) OSM modifié(s), 0 créé(s), aucun supprimé" in report
    call_command("osm_load", str(MONACO), stdout=StringIO())
    with pytest.raises(CommandError, match="autre instantané"):
        export(tmp_path)


@pytest.mark.parametrize(
    ("licence", "compatible"),
    [
        ("etalab-2.0", True),
        ("Licence Ouverte / Open Licence version 2.0", True),
        ("lo-2.0", True),
        ("ODbL-1.0", True),
        ("ODC Open Database License (ODbL)", True),
        ("CC0-1.0", True),
        ("ODC-PDDL-1.0", True),
        ("CC-BY-4.0", False),
        ("CC-BY-NC-SA", False),
        ("Tous droits réservés", False),
        ("", False),
    ],
)
def test_licence_compatibility(licence, compatible):
    assert is_osm_compatible(licence) is compatible


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("phone", "04 92 31 00 00", "+33 4 92 31 00 00"),
        ("phone", "04.92.31.00.00 / 06 12 34 56 78", "+33 4 92 31 00 00;+33 6 12 34 56 78"),
        ("phone", "+377 93 30 18 39", "+377 93 30 18 39"),
        ("phone", "sur rendez-vous", "sur rendez-vous"),
        ("hours", "  Mo-Fr 09:00-12:00 ", "Mo-Fr 09:00-12:00"),
        ("text", 4000.0, "4000"),
    ],
)
def test_values_are_written_as_openstreetmap_expects(kind, value, expected):
    assert osm_value(kind, value) == expected


def test_only_real_changes_count():
    assert not differs("phone", "+377 93 30 18 39", "+37793301839")
    assert not differs("url", "https://www.ecole.mc/", "http://ecole.mc")
    assert differs("text", "École Saint-Charles", "école saint-charles")
    assert differs("phone", "+33 4 92 31 00 00", None)


def test_the_osmchange_can_go_to_stdout_with_the_report_on_stderr(scene, capsys):
    errors = StringIO()
    call_command("export_dataset", SLUG, "--format", "osc", "--output", "-", stderr=errors)
    written = capsys.readouterr().out
    assert written.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert ET.fromstring(written.split("-->\n", 1)[1]).tag == "osmChange"
    assert "écrit dans la sortie standard" in errors.getvalue()
    assert "Non exporté :" in errors.getvalue()
