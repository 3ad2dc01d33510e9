"""French-aware names, normalised values and the differences built on them."""

import pytest

from osm_sync.matching.config import MatchConfig
from osm_sync.matching.differences import differences
from osm_sync.matching.names import name_similarity, normalise_name
from osm_sync.matching.places import DatasetPlace, OsmCandidate
from osm_sync.matching.values import normalise_value, same_value


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("Lycée Saint-Charles", "saint charles"),
        ("LYCEE ST CHARLES", "saint charles"),
        ("Médiathèque de l’Alcazar", "alcazar"),
        ("EPN d'Embrun", "embrun"),
        ("Ecole Ste Marie", "sainte marie"),
        ("Cinéma Le Rex", "rex"),
        ("Collège", "college"),  # nothing but a generic word: keep it
        ("", ""),
    ],
)
def test_names_lose_case_accents_abbreviations_and_generic_words(raw, normalised):
    assert normalise_name(raw) == normalised


def test_name_similarity_ignores_order_and_tolerates_initials():
    assert name_similarity("saint charles", "saint charles") == 1.0
    assert name_similarity("paul langevin", "langevin paul") == 1.0
    assert name_similarity(normalise_name("Lycée P. Langevin"), "paul langevin") > 0.8
    assert name_similarity("saint charles", "saint roman") < 0.7
    assert name_similarity("", "saint charles") is None


@pytest.mark.parametrize(
    ("kind", "left", "right"),
    [
        ("phone", "04 92 83 77 19", "+33 4 92 83 77 19"),
        ("phone", "04.92.83.77.19", "+33492837719"),
        ("phone", "+33 (0)4 92 83 77 19", "0492837719"),
        ("phone", "+377 93 15 80 00", "+37793158000"),
        ("phone", "04 92 83 77 19; 06 12 34 56 78", "+33 6 12 34 56 78;+33 4 92 83 77 19"),
        ("url", "https://www.mediatheque.fr/", "http://mediatheque.fr"),
        ("url", "WWW.Mediatheque.FR", "mediatheque.fr/"),
        ("email", "Contact@Ville.fr", "contact@ville.fr"),
        ("hours", "Mo-Fr 09:00-12:00 ;  Sa 10:00 - 12:00", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
        ("text", "  Rue  de la Gare ", "rue de la gare"),
    ],
)
def test_the_same_value_written_differently_is_the_same(kind, left, right):
    assert same_value(kind, left, right)


@pytest.mark.parametrize(
    ("kind", "left", "right"),
    [
        ("phone", "04 92 83 77 19", "04 92 83 77 18"),
        ("url", "https://mediatheque.fr/horaires", "https://mediatheque.fr"),
        ("hours", "Mo-Fr 09:00-12:00", "Mo-Sa 09:00-12:00"),
        ("text", "Rue de la Gare", "Rue de la Garé"),
    ],
)
def test_different_values_stay_different(kind, left, right):
    assert not same_value(kind, left, right)


def test_unparseable_phones_are_compared_by_their_digits():
    assert normalise_value("phone", "tel: 12 34") == frozenset({"1234"})


def test_differences_list_mapped_fields_on_normalised_values():
    config = MatchConfig(
        tag_map={
            "nom": "name",
            "tel": "phone",
            "web": "website",
            "horaires": "opening_hours",
            "mail": "email",
        },
        name_field="nom",
        field_types={"tel": "phone", "web": "url", "horaires": "opening_hours"},
    )
    place = DatasetPlace(
        "1",
        "EPN de Digne",
        6.23,
        44.09,
        {
            "nom": "EPN de Digne",
            "tel": "04 92 83 77 19",
            "web": "https://www.digne.fr/",
            "horaires": "Mo-Fr 09:00-12:00",
            "mail": "",
        },
    )
    candidate = OsmCandidate(
        "node/1",
        {
            "name": "EPN de Digne-les-Bains",
            "phone": "+33 4 92 83 77 19",
            "website": "http://digne.fr",
            "opening_hours": "Mo-Sa 09:00-12:00",
            "email": "epn@digne.fr",
        },
        {"type": "Point", "coordinates": [6.23, 44.09]},
        6.23,
        44.09,
        (6.23, 44.09, 6.23, 44.09),
    )
    assert differences(place, candidate, config) == [
        {"field": "nom", "tag": "name", "dataset": "EPN de Digne", "osm": "EPN de Digne-les-Bains"},
        {
            "field": "horaires",
            "tag": "opening_hours",
            "dataset": "Mo-Fr 09:00-12:00",
            "osm": "Mo-Sa 09:00-12:00",
        },
        {"field": "mail", "tag": "email", "dataset": None, "osm": "epn@digne.fr"},
    ]
