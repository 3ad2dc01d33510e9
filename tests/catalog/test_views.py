"""The catalog documents a portal harvests: Turtle and JSON-LD, public, cached briefly."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rdflib import Graph
from rdflib.compare import isomorphic

from .conftest import dataset_node


def test_turtle_catalog_is_public_and_cached_for_a_minute(client, published):
    response = client.get(reverse("catalog:catalog-ttl"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    assert "max-age=60" in response["Cache-Control"]
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    assert (dataset_node("lycees"), None, None) in graph
    assert (dataset_node("inclusion"), None, None) in graph


# rdflib's own JSON-LD parser uses its deprecated ConjunctiveGraph internally.
@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_jsonld_catalog_parses_back_into_the_same_graph(client, published):
    turtle = Graph().parse(data=client.get(reverse("catalog:catalog-ttl")).content.decode())
    response = client.get(reverse("catalog:catalog-jsonld"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert json.loads(response.content)["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    jsonld = Graph().parse(data=response.content.decode(), format="json-ld")
    assert len(jsonld) == len(turtle)
    assert isomorphic(jsonld, turtle)


def test_the_catalog_is_read_only(client, db):
    assert client.post(reverse("catalog:catalog-ttl")).status_code == 405
