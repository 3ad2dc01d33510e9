"""Profile filters: the exact test, and the coarse osmium filter that must never lose a match."""

import osmium
import pytest

from osm_sync.tag_filters import FilterError, TagFilterSet, all_profile_filters

FILTERS = TagFilterSet.from_json(
    [{"amenity": "internet_cafe"}, {"office": "association", "internet_access": "*"}]
)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"amenity": "internet_cafe"}, True),
        ({"amenity": "internet_cafe", "name": "Cyber"}, True),
        ({"amenity": "cafe"}, False),
        ({"office": "association", "internet_access": "wlan"}, True),
        ({"office": "association", "internet_access": "no"}, True),
        ({"office": "association"}, False),
        ({"internet_access": "wlan"}, False),
        ({}, False),
    ],
)
def test_a_set_matches_when_all_its_tags_match_and_the_list_when_any_set_does(tags, expected):
    assert FILTERS.matches(tags) is expected


def test_the_coarse_filter_is_a_tag_filter_when_every_set_has_a_concrete_value():
    assert isinstance(FILTERS.osmium_prefilter(), osmium.filter.TagFilter)
    assert FILTERS.tags_filter_expressions() == [
        "nwr/amenity=internet_cafe",
        "nwr/office=association",
    ]


def test_a_set_of_wildcards_only_falls_back_to_a_key_filter():
    wide = TagFilterSet.from_json([{"amenity": "school"}, {"internet_access": "*"}])
    assert isinstance(wide.osmium_prefilter(), osmium.filter.KeyFilter)
    assert wide.tags_filter_expressions() == ["nwr/amenity=school", "nwr/internet_access"]


@pytest.mark.parametrize("bad", [{"amenity": "school"}, [{}], [{"amenity": 3}], ["amenity"]])
def test_malformed_filters_are_refused_with_a_message(bad):
    with pytest.raises(FilterError):
        TagFilterSet.from_json(bad)


@pytest.mark.django_db
def test_the_snapshot_filters_are_the_union_of_every_profile(lycees):
    sets = all_profile_filters().to_json()
    assert {"amenity": "school"} in sets
    assert {"amenity": "cinema"} in sets
    assert {"internet_access": "terminal"} in sets
    assert sets.count({"amenity": "school"}) == 1
