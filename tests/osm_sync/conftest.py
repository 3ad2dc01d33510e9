"""Fixtures of the OpenStreetMap tests: the real extracts shipped in data/, the same Monaco
extract in every format osmium reads, and snapshots loaded from them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from osm_sync.services.snapshot_loader import load_snapshot
from osm_sync.tag_filters import TagFilterSet, all_profile_filters

DATA = Path(__file__).resolve().parent / "data"
MONACO = DATA / "monaco-latest.osm.pbf"
LIECHTENSTEIN = DATA / "liechtenstein-2013-08-03.osm.pbf"
FRENCH_DIFF = DATA / "france-minute-diff-2021-10-19.osc"
SHAPES = DATA / "shapes.osm"
OSMIUM = Path("/usr/bin/osmium")

SCHOOLS = TagFilterSet.from_json([{"amenity": "school"}])


@pytest.fixture(scope="session")
def monaco_formats(tmp_path_factory) -> dict[str, Path]:
    """Monaco as .osm.pbf, .osm, .osm.gz and .osm.bz2, converted by osmium-tool."""
    if not OSMIUM.exists():
        pytest.skip("osmium-tool is not installed (apt-get install osmium-tool)")
    folder = tmp_path_factory.mktemp("formats")
    paths = {"pbf": folder / "monaco.osm.pbf"}
    shutil.copy(MONACO, paths["pbf"])
    for name in ("osm", "osm.gz", "osm.bz2"):
        paths[name] = folder / f"monaco.{name}"
        subprocess.run(
            [str(OSMIUM), "cat", str(MONACO), "-o", str(paths[name]), "--overwrite"],
            check=True,
            capture_output=True,
        )
    return paths


@pytest.fixture
def shipped_filters(db) -> TagFilterSet:
    return all_profile_filters()


@pytest.fixture
def monaco_snapshot(db):
    return load_snapshot(MONACO).snapshot


@pytest.fixture
def monaco_schools(db):
    return load_snapshot(MONACO, SCHOOLS).snapshot
