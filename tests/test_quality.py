import pytest

from coproduction.profiles import DatasetProfile
from coproduction.quality import check_attributes, check_position, issue_codes_text

REGION = (4.2, 42.9, 7.8, 45.2)

PROFILE = DatasetProfile.from_dict(
    {
        "fields": {
            "cp": {"type": "postcode", "required": True},
            "horaires": {"type": "opening_hours"},
            "siret": {"type": "siret", "required": True},
            "tel": {"type": "phone"},
            "web": {"type": "url"},
            "mail": {"type": "email"},
            "insee": {"type": "insee"},
        }
    }
)


def codes(properties):
    return {(p["code"], p["field"]) for p in check_attributes(properties, PROFILE)}


def test_clean_record_has_no_problem():
    assert (
        codes(
            {
                "cp": "04000",
                "horaires": "Mo-Fr 09:00-12:00,14:00-18:00",
                "siret": "73282932000074",
                "tel": "04 92 83 77 19",
                "web": "https://www.example.fr/",
                "mail": "a@example.fr",
                "insee": "04070",
            }
        )
        == set()
    )


def test_each_kind_of_problem_is_found():
    found = codes(
        {
            "cp": 4000,
            "horaires": "Lundi au vendredi 9h-18h",
            "siret": "73282932000075",
            "tel": "12",
            "web": "www exemple",
            "mail": "pas-un-mail",
            "insee": 4070,
        }
    )
    assert found == {
        ("postcode_format", "cp"),
        ("opening_hours_format", "horaires"),
        ("siret_invalid", "siret"),
        ("phone_invalid", "tel"),
        ("url_invalid", "web"),
        ("email_invalid", "mail"),
        ("insee_invalid", "insee"),
    }


def test_required_fields_that_are_empty():
    assert codes({"cp": "", "siret": None}) == {
        ("required_missing", "cp"),
        ("required_missing", "siret"),
    }


def test_encoding_damage_is_visible():
    problems = check_attributes({"nom": "Biblioth\ufffdque", "x": "CafÃ©"}, DatasetProfile())
    assert [(p["code"], p["field"]) for p in problems] == [
        ("encoding_damaged", "nom"),
        ("encoding_damaged", "x"),
    ]


@pytest.mark.parametrize(
    "lon, lat, expected",
    [(5.4, 43.5, []), (2.35, 48.85, ["outside_region"]), (43.5, 5.4, ["swapped_coordinates"])],
)
def test_position_checks_never_fix_anything(lon, lat, expected):
    assert [p["code"] for p in check_position(lon, lat, REGION)] == expected


def test_issue_codes_text_is_padded_for_exact_matching():
    assert issue_codes_text([{"code": "b"}, {"code": "a"}, {"code": "a"}]) == " a b "
    assert issue_codes_text([]) == ""
