"""osm_load: every extract format, the filters, the geometry kinds, atomic replacement, and bad
files that leave the previous snapshot in place."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from osm_sync.models import OsmNodeLocation, OsmObject, OsmSnapshot
from osm_sync.reading.formats import OsmFileError
from osm_sync.services import snapshot_loader
from osm_sync.services.snapshot_loader import load_snapshot
from osm_sync.tag_filters import TagFilterSet

from .conftest import FRENCH_DIFF, LIECHTENSTEIN, MONACO, SCHOOLS, SHAPES

pytestmark = pytest.mark.django_db

SHAPE_FILTERS = TagFilterSet.from_json(
    [{"amenity": "school"}, {"office": "association", "internet_access": "*"}]
)


def refs(snapshot: OsmSnapshot) -> set[str]:
    return {obj.ref for obj in snapshot.osm_objects.all()}


@pytest.mark.parametrize("kind", ["pbf", "osm", "osm.gz", "osm.bz2"])
def test_each_format_gives_the_same_snapshot(monaco_formats, kind):
    snapshot = load_snapshot(monaco_formats[kind], SCHOOLS).snapshot
    assert (snapshot.node_count, snapshot.way_count, snapshot.relation_count) == (7, 2, 1)
    assert "node/280489204" in refs(snapshot)  # École Saint-Charles
    if kind == "pbf":  # the replication timestamp of the header
        assert snapshot.extract_timestamp == datetime(2021, 4, 21, 20, 21, 46, tzinfo=UTC)
    else:  # osmium-tool's XML has no such header: the newest kept object dates the extract
        assert snapshot.extract_timestamp == datetime(2020, 12, 31, 8, 13, 59, tzinfo=UTC)


def test_the_command_uses_every_profile_filter_and_reports(capsys):
    call_command("osm_load", str(MONACO))
    out = capsys.readouterr().out
    assert "9 nœud(s), 2 chemin(s), 1 relation(s)" in out
    snapshot = OsmSnapshot.objects.get(is_current=True)
    tags = [obj.tags for obj in snapshot.osm_objects.all()]
    assert {t["amenity"] for t in tags} == {"school", "cinema"}
    assert snapshot.area_bbox == [7.409205, 43.72335, 7.448637, 43.75169]


def test_objects_keep_type_id_version_timestamp_and_tags(monaco_schools):
    school = monaco_schools.osm_objects.get(osm_type="node", osm_id=280489204)
    assert school.version == 3
    assert school.timestamp == datetime(2019, 2, 4, 8, 34, 5, tzinfo=UTC)
    assert school.tags["name"] == "École Saint-Charles"
    assert school.geometry == {"type": "Point", "coordinates": [7.4271698, 43.7428901]}
    assert (school.lon, school.lat) == (7.4271698, 43.7428901)


def test_geometry_kinds_and_exact_filters():
    snapshot = load_snapshot(SHAPES, SHAPE_FILTERS).snapshot
    objects = {obj.ref: obj for obj in snapshot.osm_objects.all()}
    # Restaurant and plain association left out; the site relation has no geometry.
    assert set(objects) == {"node/1", "node/3", "way/100", "way/101", "relation/200"}
    assert snapshot.skipped_count == 1
    assert objects["node/1"].geometry_type == "Point"
    assert objects["way/100"].geometry_type == "Polygon"  # closed way
    assert objects["way/101"].geometry_type == "LineString"  # open way
    lycee = objects["relation/200"]
    assert lycee.geometry_type == "Polygon"
    outer, hole = lycee.geometry["coordinates"]  # two member ways joined, the inner cut out
    assert len(outer) == 5 and len(hole) == 5
    assert lycee.min_lon == pytest.approx(7.43) and lycee.max_lat == pytest.approx(43.742)
    # The representative point of a polygon is inside it, not in its hole.
    assert not (7.4305 < lycee.lon < 7.431 and 43.7405 < lycee.lat < 43.741)
    assert objects["way/100"].node_refs == [10, 11, 12, 13, 10]
    assert set(OsmNodeLocation.objects.values_list("node_id", flat=True)) >= {10, 11, 20, 22}


def test_without_a_replication_timestamp_the_newest_object_dates_the_extract():
    snapshot = load_snapshot(SHAPES, SHAPE_FILTERS).snapshot
    assert snapshot.extract_timestamp == datetime(2021, 3, 2, 8, 30, tzinfo=UTC)
    assert snapshot.area_bbox == pytest.approx([7.42, 43.73, 7.432, 43.742])


def test_a_new_extract_replaces_the_previous_snapshot():
    first = load_snapshot(MONACO, SCHOOLS).snapshot
    second = load_snapshot(LIECHTENSTEIN, SCHOOLS).snapshot
    assert list(OsmSnapshot.objects.all()) == [second]
    assert second.is_current
    assert not OsmObject.objects.filter(snapshot_id=first.pk).exists()
    assert second.osm_objects.count() == 16  # the 16 schools of Liechtenstein
    assert second.extract_timestamp == datetime(2013, 8, 3, 19, 0, 2, tzinfo=UTC)


def bad_file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.osm.pbf", MONACO.read_bytes()[:200_000], "Extrait OSM illisible"),
        ("noise.osm.pbf", b"this is not a protocol buffer" * 10, "Extrait OSM illisible"),
        ("empty.osm.pbf", b"", "Extrait OSM illisible"),
        ("broken.osm", b"<osm version='0.6'><node id='1' lat=", "Extrait OSM illisible"),
        ("monaco.zip", MONACO.read_bytes(), "Format d’extrait OSM inconnu"),
        ("changes.osm", FRENCH_DIFF.read_bytes(), "fichier de modifications"),
    ],
)
def test_a_bad_extract_is_refused_and_the_previous_snapshot_stays(tmp_path, name, content, message):
    previous = load_snapshot(MONACO, SCHOOLS).snapshot
    with pytest.raises(CommandError, match=message):
        call_command("osm_load", str(bad_file(tmp_path, name, content)))
    assert list(OsmSnapshot.objects.all()) == [previous]
    assert OsmSnapshot.objects.get().is_current
    assert previous.osm_objects.count() == 10


def test_a_missing_file_is_named():
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("osm_load", "/nowhere/monaco.osm.pbf")


def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    previous = load_snapshot(MONACO, SCHOOLS).snapshot
    written = []

    def failing_row(snapshot, record):
        if len(written) == 5:
            raise OsmFileError("disk full")
        written.append(record)
        return original(snapshot, record)

    original = snapshot_loader._object_row
    monkeypatch.setattr(snapshot_loader, "_object_row", failing_row)
    with pytest.raises(OsmFileError):
        load_snapshot(LIECHTENSTEIN, SCHOOLS)
    assert list(OsmSnapshot.objects.all()) == [previous]
    assert OsmObject.objects.count() == 10
