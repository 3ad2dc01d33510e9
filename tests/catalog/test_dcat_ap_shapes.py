"""The catalog passes the EU DCAT-AP SHACL shapes, read from the bundled copies (never from the
network): 2.1.1 shapes with their range shapes, and 3.0 with RDFS inference as its authors
intend (its shapes require rdfs:Resource, which only inference gives every IRI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

import coproduction
from coproduction.catalog.dcat import build_catalog
from coproduction.models import Feature
from coproduction.services.releases import publish
from tests.conftest import import_demo_file

from .conftest import DCAT, SITE_URL

SHAPES_DIR = Path(coproduction.__file__).resolve().parent / "data" / "schemas" / "dcat-ap"
SHAPE_SETS = {
    "dcat-ap-2.1.1": (["dcat-ap_2.1.1_shacl_shapes.ttl", "dcat-ap_2.1.1_shacl_range.ttl"], None),
    "dcat-ap-3.0": (["dcat-ap_3_shacl_shapes.ttl"], "rdfs"),
}
MEDNUM_SCHEMA = (
    "https://raw.githubusercontent.com/LaMednum/standard-mediation-num/v1.0.2/schema.json"
)


@pytest.fixture(scope="module", params=sorted(SHAPE_SETS))
def shapes(request) -> tuple[Graph, str | None]:
    """One shapes set, parsed once for the module; with the inference it needs."""
    filenames, inference = SHAPE_SETS[request.param]
    graph = Graph()
    for filename in filenames:
        graph.parse(SHAPES_DIR / filename, format="turtle")
    return graph, inference


def check(data: Graph, shapes: tuple[Graph, str | None]) -> tuple[bool, str]:
    shapes_graph, inference = shapes
    conforms, _, text = validate(data, shacl_graph=shapes_graph, inference=inference)
    return conforms, text


def test_the_published_catalog_conforms(published, shapes):
    conforms, text = check(build_catalog(SITE_URL), shapes)
    assert conforms, text


def test_a_conforming_schema_file_declares_its_standard_and_conforms(db, shapes):
    inclusion = import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    ).dataset
    # Fix what the national schema requires on a few places, leave the others out.
    places = list(Feature.objects.filter(dataset=inclusion).order_by("row_number")[:3])
    Feature.objects.filter(dataset=inclusion).exclude(pk__in=[p.pk for p in places]).update(
        is_removed=True
    )
    for place in places:
        place.properties.update({
            "siret": "73282932000074", "adresse_code_postal": "04000",
            "adresse_rue": place.properties.get("adresse_rue") or "place de la Mairie",
            "adresse_code_insee": "", "contact_telephone": "", "contact_web": "",
            "contact_email": "", "horaires_ouverture_osm": "",
        })  # fmt: skip
        place.save()
    assert not publish(inclusion).published_nonconforming
    graph = build_catalog(SITE_URL)
    standards = set(graph.objects(None, DCTERMS.conformsTo))
    assert {str(s) for s in standards} == {MEDNUM_SCHEMA}
    conforms, text = check(graph, shapes)
    assert conforms, text


def test_the_shapes_catch_a_dataset_without_a_title(published, shapes):
    """So that a passing validation means something."""
    graph = build_catalog(SITE_URL)
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        graph.remove((dataset, DCTERMS.title, None))
    conforms, text = check(graph, shapes)
    assert not conforms
    assert "title" in text
