"""The DCAT-AP description of every published dataset, so that a portal harvests it by reference
and follows its new releases without anyone uploading files by hand.

Distributions point at the stable "latest" URLs: a harvester that keeps them always downloads the
newest release. The texts are French literals tagged @fr, not gettext strings: the language tag
must say which language the text is in, whatever the language of the request."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Min, Prefetch, QuerySet
from django.urls import reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF
from rdflib.term import Node

from ..models import Dataset, Organisation, Release
from ..services.table_schema import BUNDLED_SCHEMAS, schema_descriptor
from .vocabularies import FILE_TYPE, FRENCH, GSP, IANA_MEDIA_TYPE, PREFIXES, licence_uri

CATALOG_TITLE = "Carte Commune"
CATALOG_DESCRIPTION = (
    "Jeux de données géographiques publics relus et corrigés avec les citoyens lors d’ateliers "
    "de médiation numérique, publiés avec Carte Commune."
)
DEFAULT_PUBLISHER_NAME = "Carte Commune"


@dataclass(frozen=True)
class FileKind:
    """How one kind of release file is described: the same for every dataset."""

    title: str
    media_type: URIRef
    file_type: URIRef


FILE_KINDS = {
    "csv": FileKind("CSV", IANA_MEDIA_TYPE["text/csv"], FILE_TYPE.CSV),
    "geojson": FileKind("GeoJSON", IANA_MEDIA_TYPE["application/geo+json"], FILE_TYPE.GEOJSON),
    "schema.csv": FileKind(
        "CSV au format du schéma national", IANA_MEDIA_TYPE["text/csv"], FILE_TYPE.CSV
    ),
}


def build_catalog(base_url: str) -> Graph:
    """The catalog of every dataset that has at least one release; `base_url` (the site's
    public address, settings.SITE_URL) makes every IRI absolute, as harvesters require."""
    builder = _CatalogBuilder(base_url.rstrip("/"))
    builder.add_catalog(list(_published_datasets()))
    return builder.graph


def latest_file_url(base_url: str, slug: str, kind: str) -> str:
    """The URL that always serves the newest release's file of that kind."""
    return base_url.rstrip("/") + reverse("coproduction:release-latest-file", args=[slug, kind])


def _published_datasets() -> QuerySet[Dataset]:
    return (
        Dataset.objects.select_related("organisation")
        .annotate(first_released_at=Min("releases__created_at"))
        .filter(first_released_at__isnull=False)
        .prefetch_related(
            Prefetch(
                "releases",
                queryset=Release.objects.order_by("-number").defer("changelog", "conformance")[:1],
                to_attr="latest_releases",
            )
        )
        .order_by("slug")
    )


class _CatalogBuilder:
    """Adds triples to one graph; typing every referenced IRI (licence, media type, standard…)
    explicitly, because the DCAT-AP range shapes check classes and must pass offline."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.graph = Graph(bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)

    def add_catalog(self, datasets: list[Dataset]) -> None:
        catalog = URIRef(f"{self.base_url}/#catalog")
        homepage = URIRef(self.base_url + reverse("coproduction:dataset-list"))
        self._add(catalog, RDF.type, DCAT.Catalog)
        self._add_text(catalog, DCTERMS.title, CATALOG_TITLE)
        self._add_text(catalog, DCTERMS.description, CATALOG_DESCRIPTION)
        self._add(catalog, DCTERMS.publisher, self._default_publisher())
        self._add(catalog, DCTERMS.language, self._typed(FRENCH, DCTERMS.LinguisticSystem))
        self._add(catalog, FOAF.homepage, self._typed(homepage, FOAF.Document))
        if datasets:
            self._add(catalog, DCTERMS.issued, Literal(min(d.first_released_at for d in datasets)))
            latest = max(d.latest_releases[0].created_at for d in datasets)
            self._add(catalog, DCTERMS.modified, Literal(latest))
        for dataset in datasets:
            self._add(catalog, DCAT.dataset, self._add_dataset(dataset))

    def _add_dataset(self, dataset: Dataset) -> URIRef:
        release = dataset.latest_releases[0]
        landing_page = self.base_url + reverse("coproduction:dataset-map", args=[dataset.slug])
        node = URIRef(f"{landing_page}#dataset")
        self._add(node, RDF.type, DCAT.Dataset)
        self._add_text(node, DCTERMS.title, dataset.title)
        self._add_text(node, DCTERMS.description, _description(dataset, release))
        self._add(node, DCTERMS.identifier, Literal(dataset.slug))
        self._add(node, DCTERMS.publisher, self._publisher(dataset.organisation))
        self._add(node, DCTERMS.issued, Literal(dataset.first_released_at))
        self._add(node, DCTERMS.modified, Literal(release.created_at))
        self._add(node, DCTERMS.language, self._typed(FRENCH, DCTERMS.LinguisticSystem))
        self._add(node, DCAT.landingPage, self._typed(URIRef(landing_page), FOAF.Document))
        licence = self._licence(dataset)
        if licence:
            self._add(node, DCTERMS.license, licence)
        for keyword in _keywords(release):
            self._add_text(node, DCAT.keyword, keyword)
        if dataset.bbox:
            self._add(node, DCTERMS.spatial, self._location(dataset.bbox))
        files = release.files()
        for kind in (kind for kind in FILE_KINDS if kind in files):
            distribution = URIRef(f"{landing_page}#distribution-{kind}")
            self._add_distribution(distribution, dataset, release, kind, licence)
            self._add(node, DCAT.distribution, distribution)
        return node

    def _add_distribution(
        self, node: URIRef, dataset: Dataset, release: Release, kind: str, licence: URIRef | None
    ) -> None:
        file_kind = FILE_KINDS[kind]
        url = URIRef(latest_file_url(self.base_url, dataset.slug, kind))
        self._add(node, RDF.type, DCAT.Distribution)
        self._add_text(node, DCTERMS.title, file_kind.title)
        self._add(node, DCAT.accessURL, url)
        self._add(node, DCAT.downloadURL, url)
        self._add(node, DCAT.mediaType, self._typed(file_kind.media_type, DCTERMS.MediaType))
        self._add(node, DCTERMS.format, self._typed(file_kind.file_type, DCTERMS.MediaTypeOrExtent))
        self._add(node, DCTERMS.modified, Literal(release.created_at))
        if licence:
            self._add(node, DCTERMS.license, licence)
        if kind == "schema.csv":
            self._add_schema_conformance(node, release)

    def _add_schema_conformance(self, node: URIRef, release: Release) -> None:
        """Declare the standard only when the file passed it: portals show dct:conformsTo as a
        promise (data.gouv.fr validates and badges it), and a file published despite schema
        errors does not keep that promise; its description says so instead."""
        schema = _schema(release)
        title = schema.get("title") or release.schema_name
        if release.published_nonconforming:
            text = f"Colonnes du schéma « {title} », publié malgré des écarts à ce schéma."
            self._add_text(node, DCTERMS.description, text)
            return
        self._add_text(node, DCTERMS.description, f"Fichier conforme au schéma « {title} ».")
        standard = _schema_url(schema)
        if standard:
            self._add(node, DCTERMS.conformsTo, self._typed(URIRef(standard), DCTERMS.Standard))

    def _licence(self, dataset: Dataset) -> URIRef | None:
        uri = licence_uri(dataset.licence or "")
        return self._typed(uri, DCTERMS.LicenseDocument) if uri else None

    def _publisher(self, organisation: Organisation | None) -> URIRef:
        if organisation is None:
            return self._default_publisher()
        node = URIRef(f"{self.base_url}/#organisation-{organisation.slug}")
        self._add(node, RDF.type, FOAF.Agent)
        self._add(node, FOAF.name, Literal(organisation.name))
        if organisation.website:
            self._add(node, FOAF.homepage, URIRef(organisation.website))
        return node

    def _default_publisher(self) -> URIRef:
        """Who answers for a dataset that no organisation has claimed: the site itself."""
        node = URIRef(f"{self.base_url}/#publisher")
        self._add(node, RDF.type, FOAF.Agent)
        self._add(node, FOAF.name, Literal(DEFAULT_PUBLISHER_NAME))
        return node

    def _location(self, bbox: list[float]) -> BNode:
        """The dataset's extent as a WKT polygon (GeoDCAT-AP: longitude first, WGS 84)."""
        west, south, east, north = (round(float(value), 6) for value in bbox)
        ring = f"{west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}"
        node = BNode()
        self._add(node, RDF.type, DCTERMS.Location)
        self._add(node, DCAT.bbox, Literal(f"POLYGON(({ring}))", datatype=GSP.wktLiteral))
        return node

    def _typed(self, node: URIRef, rdf_class: URIRef) -> URIRef:
        self._add(node, RDF.type, rdf_class)
        return node

    def _add_text(self, node: Node, predicate: URIRef, text: str) -> None:
        self._add(node, predicate, Literal(text, lang="fr"))

    def _add(self, node: Node, predicate: URIRef, value: Node) -> None:
        self.graph.add((node, predicate, value))


def _description(dataset: Dataset, release: Release) -> str:
    """DCAT-AP requires a description; many imported datasets have none."""
    if dataset.description.strip():
        return dataset.description.strip()
    count = release.feature_count
    places = f"{count} lieu" if count <= 1 else f"{count} lieux"
    return f"Jeu de données « {dataset.title} » publié avec Carte Commune : {places}."


def _schema(release: Release) -> dict:
    """The descriptor of the release's schema; empty when the schema is no longer bundled (an
    old release must not take the whole catalog down)."""
    if release.schema_name not in BUNDLED_SCHEMAS:
        return {}
    return schema_descriptor(release.schema_name)


def _keywords(release: Release) -> list[str]:
    """The national schema's keywords: the words a portal's users search this kind of data by."""
    return list(_schema(release).get("keywords", []))


def _schema_url(schema: dict) -> str:
    """The schema's own address: its versioned descriptor first, then its home page. Not
    "$schema", which names the Table Schema specification, not this schema."""
    return schema.get("uri") or schema.get("homepage") or ""
