"""What a harvesting portal reads in the catalog: every published dataset, never an unpublished
one, with its publisher, licence, dates, extent and the stable URLs of its latest files."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from coproduction.catalog.dcat import build_catalog
from coproduction.catalog.vocabularies import ETALAB_2, GSP, ODBL_1, licence_uri
from coproduction.services.releases import publish

from .conftest import DCAT, SITE_URL, dataset_node

IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


def distributions(graph, slug: str) -> dict[str, URIRef]:
    """The dataset's distributions by the last segment of their download URL (the file kind)."""
    nodes = graph.objects(dataset_node(slug), DCAT.distribution)
    return {str(graph.value(node, DCAT.downloadURL)).rsplit("/", 1)[1]: node for node in nodes}


def test_only_published_datasets_are_catalogued(published):
    graph = build_catalog(SITE_URL + "/")
    catalog = URIRef(f"{SITE_URL}/#catalog")
    assert set(graph.subjects(RDF.type, DCAT.Dataset)) == {
        dataset_node("lycees"),
        dataset_node("inclusion"),
    }
    assert set(graph.objects(catalog, DCAT.dataset)) == set(graph.subjects(RDF.type, DCAT.Dataset))
    assert not any("brouillon" in str(term) for triple in graph for term in triple)


def test_distributions_point_at_the_latest_files_by_absolute_stable_urls(published, client):
    graph = build_catalog(SITE_URL)
    assert set(distributions(graph, "lycees")) == {"csv", "geojson"}
    inclusion = distributions(graph, "inclusion")
    assert set(inclusion) == {"csv", "geojson", "schema.csv"}
    expected = {
        "csv": ("text/csv", "CSV"),
        "geojson": ("application/geo+json", "GEOJSON"),
        "schema.csv": ("text/csv", "CSV"),
    }
    release = published.inclusion.releases.get()
    for kind, node in inclusion.items():
        url = f"{SITE_URL}/donnees/inclusion/publications/derniere/{kind}"
        assert graph.value(node, DCAT.downloadURL) == URIRef(url)
        assert graph.value(node, DCAT.accessURL) == URIRef(url)
        media_type, file_type = expected[kind]
        assert graph.value(node, DCAT.mediaType) == URIRef(IANA + media_type)
        assert graph.value(node, DCTERMS.format) == URIRef(FILE_TYPE + file_type)
        assert graph.value(node, DCTERMS.license) == ETALAB_2
        response = client.get(url.removeprefix(SITE_URL))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == release.files()[kind].open("rb").read()


def test_datasets_name_their_publisher_licence_page_and_extent(published):
    graph = build_catalog(SITE_URL)
    lycees, inclusion = dataset_node("lycees"), dataset_node("inclusion")

    region = graph.value(lycees, DCTERMS.publisher)
    assert (region, RDF.type, FOAF.Agent) in graph
    assert graph.value(region, FOAF.name) == Literal("Région Sud")
    assert graph.value(region, FOAF.homepage) == URIRef("https://www.maregionsud.fr/")
    default_publisher = graph.value(inclusion, DCTERMS.publisher)
    assert graph.value(default_publisher, FOAF.name) == Literal("Carte Commune")

    assert graph.value(lycees, DCTERMS.identifier) == Literal("lycees")
    assert graph.value(lycees, DCTERMS.title) == Literal("Lycées de la région", lang="fr")
    assert graph.value(lycees, DCTERMS.description) == Literal(
        published.lycees.description, lang="fr"
    )
    fallback = str(graph.value(inclusion, DCTERMS.description))
    assert "Lieux d’inclusion numérique (Région Sud)" in fallback and "1231 lieux" in fallback
    assert graph.value(lycees, DCAT.landingPage) == URIRef(f"{SITE_URL}/donnees/lycees/")
    assert graph.value(lycees, DCTERMS.license) == ETALAB_2
    assert (ETALAB_2, RDF.type, DCTERMS.LicenseDocument) in graph
    assert Literal("médiation numérique", lang="fr") in set(graph.objects(inclusion, DCAT.keyword))

    extent = graph.value(graph.value(lycees, DCTERMS.spatial), DCAT.bbox)
    assert extent.datatype == GSP.wktLiteral
    west, south, east, north = (round(v, 6) for v in published.lycees.bbox)
    assert str(extent) == (
        f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    )


def test_issued_is_the_first_release_and_modified_the_latest(published):
    first = published.lycees.releases.get()
    latest = publish(published.lycees, allow_nonconforming=True)
    graph = build_catalog(SITE_URL)
    lycees = dataset_node("lycees")
    assert graph.value(lycees, DCTERMS.issued).toPython() == first.created_at
    assert graph.value(lycees, DCTERMS.modified).toPython() == latest.created_at
    for node in distributions(graph, "lycees").values():
        assert graph.value(node, DCTERMS.modified).toPython() == latest.created_at
    catalog = URIRef(f"{SITE_URL}/#catalog")
    assert graph.value(catalog, DCTERMS.issued).toPython() == first.created_at
    assert graph.value(catalog, DCTERMS.modified).toPython() == latest.created_at


def test_a_file_published_despite_schema_errors_claims_no_conformance(published):
    graph = build_catalog(SITE_URL)
    schema_file = distributions(graph, "inclusion")["schema.csv"]
    assert graph.value(schema_file, DCTERMS.conformsTo) is None
    assert "écarts" in str(graph.value(schema_file, DCTERMS.description))


def test_a_release_whose_schema_is_no_longer_bundled_is_still_catalogued(published):
    published.inclusion.releases.update(schema_name="schema-retire", published_nonconforming=False)
    graph = build_catalog(SITE_URL)
    schema_file = distributions(graph, "inclusion")["schema.csv"]
    assert graph.value(schema_file, DCTERMS.conformsTo) is None
    assert "schema-retire" in str(graph.value(schema_file, DCTERMS.description))
    assert graph.value(dataset_node("inclusion"), DCAT.keyword) is None


def test_an_empty_catalog_is_still_a_catalog(db):
    graph = build_catalog(SITE_URL)
    assert list(graph.subjects(RDF.type, DCAT.Catalog)) == [URIRef(f"{SITE_URL}/#catalog")]
    assert not list(graph.subjects(RDF.type, DCAT.Dataset))


@pytest.mark.parametrize(
    ("licence", "expected"),
    [
        ("etalab-2.0", ETALAB_2),
        ("Licence Ouverte v2.0", ETALAB_2),
        ("ODbL", ODBL_1),
        ("odbl-1.0", ODBL_1),
        ("CC-BY-4.0", None),
        ("", None),
    ],
)
def test_licences_are_named_only_when_certain(licence, expected):
    assert licence_uri(licence) == expected
