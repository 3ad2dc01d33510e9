"""The shared vocabularies a harvester recognises: EU authority tables, IANA media types and the
licences' canonical pages. Harvesters match these IRIs exactly, so they are written once here."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

GSP = Namespace("http://www.opengis.net/ont/geosparql#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
IANA_MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")

FRENCH = URIRef("http://publications.europa.eu/resource/authority/language/FRA")

ETALAB_2 = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence/")
ODBL_1 = URIRef("https://opendatacommons.org/licenses/odbl/1-0/")

# The prefixes of the Turtle output and the JSON-LD context alike.
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "vcard": VCARD,
    "gsp": GSP,
    "xsd": XSD,
}
JSONLD_CONTEXT = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def licence_uri(licence: str) -> URIRef | None:
    """The licence's canonical page, or None for a licence we cannot name with certainty (a wrong
    licence in a catalog is worse than none: portals show it as the terms of reuse). "ODbL" is
    recognised as Dataset.is_odbl() does, so the catalog and the release agree."""
    name = licence.strip().lower()
    if "odbl" in name:
        return ODBL_1
    if "etalab" in name or name.startswith("licence ouverte"):
        return ETALAB_2
    return None
