"""osm_apply_changes: creations, modifications and deletions of the objects the snapshot is
about; a change file for elsewhere touches nothing; bad files change nothing."""

import gzip
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from osm_sync.models import Match, OsmNodeLocation, OsmObject, OsmSnapshot, Reconciliation
from osm_sync.services.change_applier import apply_changes

from .conftest import FRENCH_DIFF

pytestmark = pytest.mark.django_db

# École Saint-Charles, École de la Condamine, École des Carmes; École de Fontvieille is a way
# whose first node is 1866914320.
SAINT_CHARLES, CONDAMINE, CARMES, FONTVIEILLE = 280489204, 1867162684, 1872391440, 176131190
STAMP = 'timestamp="2021-05-01T12:00:00Z" changeset="1" uid="1" user="test"'


def node(osm_id, version, lat, lon, tags=()):
    inner = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags)
    return f'<node id="{osm_id}" version="{version}" {STAMP} lat="{lat}" lon="{lon}">{inner}</node>'


MONACO_CHANGES = f"""<?xml version="1.0" encoding="UTF-8"?>
<osmChange version="0.6" generator="hand">
<modify>
  {
    node(
        SAINT_CHARLES,
        4,
        43.7428901,
        7.4271698,
        [("amenity", "school"), ("name", "École Saint-Charles (annexe)")],
    )
}
  {node(1866914320, 9, 43.7290, 7.4150)}
  {node(CONDAMINE, 1, 43.73, 7.42, [("amenity", "school"), ("name", "Stale")])}
</modify>
<delete>
  <node id="{CARMES}" version="6" {STAMP} lat="43.7486741" lon="7.4350655"/>
</delete>
<create>
  {node(9100000001, 1, 43.7380, 7.4250, [("amenity", "school"), ("name", "Nouvelle école")])}
  {node(9100000002, 1, 48.8566, 2.3522, [("amenity", "school"), ("name", "École de Paris")])}
  {node(9100000003, 1, 43.7381, 7.4251, [("amenity", "restaurant"), ("name", "Chez Nous")])}
  {node(9100000004, 1, 43.7390, 7.4260)}
  <way id="9100000010" version="1" {STAMP}>
    <nd ref="9100000004"/><nd ref="1866914319"/><nd ref="9100000001"/>
    <tag k="amenity" v="school"/><tag k="name" v="Cour"/>
  </way>
  <way id="9100000011" version="1" {STAMP}>
    <nd ref="9100000004"/><nd ref="9199999999"/>
    <tag k="amenity" v="school"/>
  </way>
</create>
</osmChange>
"""


@pytest.fixture
def changes(tmp_path):
    path = tmp_path / "monaco.osc"
    path.write_text(MONACO_CHANGES, encoding="utf-8")
    return path


def obj(osm_type, osm_id):
    return OsmObject.objects.filter(osm_type=osm_type, osm_id=osm_id).first()


def test_creations_modifications_and_deletions(monaco_schools, changes):
    fontvieille_before = obj("way", FONTVIEILLE).geometry
    report = apply_changes(changes)
    assert (report.created, report.modified, report.deleted, report.reshaped) == (2, 1, 1, 1)
    assert obj("node", SAINT_CHARLES).tags["name"] == "École Saint-Charles (annexe)"
    assert obj("node", SAINT_CHARLES).version == 4
    assert obj("node", CARMES) is None
    assert obj("node", 9100000001).tags["name"] == "Nouvelle école"
    # A way created from a node of the change file and a node known from the extract.
    court = obj("way", 9100000010)
    assert court.geometry_type == "LineString"
    assert court.geometry["coordinates"][1] == list(
        OsmNodeLocation.objects.filter(node_id=1866914319).values_list("lon", "lat").get()
    )
    # A node of Fontvieille moved: the way is redrawn although it is not in the file.
    fontvieille = obj("way", FONTVIEILLE)
    assert fontvieille.geometry != fontvieille_before
    assert fontvieille.geometry["coordinates"][0][0] == [7.415, 43.729]
    assert OsmNodeLocation.objects.get(node_id=1866914320).lat == 43.729


def test_what_does_not_concern_the_snapshot_is_counted_not_applied(monaco_schools, changes):
    report = apply_changes(changes)
    assert report.stale == 1  # an older version of la Condamine
    assert obj("node", CONDAMINE).tags["name"] == "École de la Condamine"
    assert report.out_of_area == 1  # a school created in Paris
    assert obj("node", 9100000002) is None
    assert obj("node", 9100000003) is None  # a restaurant: not in the filters
    assert report.skipped_without_geometry == 1  # a way with a node nobody knows
    assert obj("way", 9100000011) is None


def test_the_snapshot_moves_forward(monaco_schools, changes):
    apply_changes(changes)
    snapshot = OsmSnapshot.objects.get(is_current=True)
    assert snapshot.extract_timestamp == datetime(2021, 5, 1, 12, tzinfo=UTC)
    assert snapshot.change_files_applied == 1
    assert snapshot.last_change_file == "monaco.osc"


def test_applying_the_same_file_twice_changes_nothing_more(monaco_schools, changes):
    apply_changes(changes)
    again = apply_changes(changes)
    assert again.touched == 0
    assert "déjà été appliqué" in again.summary()


def test_matched_objects_that_change_are_marked_for_review(monaco_schools, changes, lycees):
    run = Reconciliation.objects.create(dataset=lycees, snapshot=monaco_schools)
    for osm_id in (SAINT_CHARLES, FONTVIEILLE):
        kind = "node" if osm_id == SAINT_CHARLES else "way"
        Match.objects.create(
            reconciliation=run, feature_key="x", osm_ref=f"{kind}/{osm_id}", status="matched"
        )
    report = apply_changes(changes)
    assert report.flagged_for_review == 2
    assert obj("node", SAINT_CHARLES).needs_review
    assert obj("way", FONTVIEILLE).needs_review
    assert not obj("node", 9100000001).needs_review


def test_a_compressed_change_file(monaco_schools, tmp_path):
    path = tmp_path / "monaco.osc.gz"
    path.write_bytes(gzip.compress(MONACO_CHANGES.encode()))
    assert apply_changes(path).created == 2


def test_the_real_french_minute_diff_touches_nothing_in_monaco(monaco_snapshot, capsys):
    before = sorted(OsmObject.objects.values_list("osm_type", "osm_id", "version", "geometry"))
    call_command("osm_apply_changes", str(FRENCH_DIFF))
    out = capsys.readouterr().out
    assert "485 objet(s) lu(s)" in out
    assert "autre zone" in out
    after = sorted(OsmObject.objects.values_list("osm_type", "osm_id", "version", "geometry"))
    assert after == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("extract.osc", b"<?xml version='1.0'?><osm version='0.6'></osm>", "osmChange"),
        ("cut.osc", FRENCH_DIFF.read_bytes()[:5000], "illisible"),
        ("changes.txt", FRENCH_DIFF.read_bytes(), "Format de fichier de modifications"),
    ],
)
def test_a_bad_change_file_changes_nothing(monaco_schools, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = sorted(OsmObject.objects.values_list("osm_type", "osm_id", "version"))
    with pytest.raises(CommandError, match=message):
        call_command("osm_apply_changes", str(path))
    assert sorted(OsmObject.objects.values_list("osm_type", "osm_id", "version")) == before
    assert OsmSnapshot.objects.get().change_files_applied == 0


def test_changes_need_a_snapshot(changes):
    with pytest.raises(CommandError, match="osm_load"):
        call_command("osm_apply_changes", str(changes))
