import math

import pytest

from coproduction.importing.coordinates import (
    CoordinateError,
    checked_geojson_geometry,
    parse_number,
    point_from_columns,
    point_from_latlon,
)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("43.5", 43.5),
        ("43,5", 43.5),
        (" 5,4123 ", 5.4123),
        (43, 43.0),
        ("-1.5", -1.5),
        ("43\u00a0,5", 43.5),
    ],
)
def test_numbers_with_decimal_commas(value, expected):
    assert parse_number(value, "latitude") == pytest.approx(expected)


@pytest.mark.parametrize(
    "value", ["", None, "abc", "NaN", "nan", "inf", float("nan"), True, "1.2.3"]
)
def test_unusable_numbers(value):
    with pytest.raises(CoordinateError):
        parse_number(value, "latitude")


@pytest.mark.parametrize(
    "lat, lon, reason",
    [
        ("", "5.4", "latitude vide"),
        ("abc", "5.4", "n’est pas un nombre"),
        ("NaN", "5.4", "n’est pas un nombre"),
        ("95", "5.4", "latitude hors limites"),
        ("43.5", "200", "longitude hors limites"),
        ("0", "0", "zéro"),
        ("43.5", "0", "zéro"),
    ],
)
def test_unusable_positions_say_why(lat, lon, reason):
    with pytest.raises(CoordinateError) as error:
        point_from_columns({"lat": lat, "lon": lon}, "lat", "lon")
    assert reason in str(error.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("43.524462, 5.439812", (5.439812, 43.524462)),
        ("43,524462; 5,439812", (5.439812, 43.524462)),
        ("43,524462, 5,439812", (5.439812, 43.524462)),
        ("(43.5 5.4)", (5.4, 43.5)),
        ([43.5, 5.4], (5.4, 43.5)),
    ],
)
def test_one_latlon_column(value, expected):
    geometry = point_from_latlon({"pos": value}, "pos")
    assert geometry["coordinates"] == pytest.approx(list(expected))


def test_latlon_column_garbage():
    with pytest.raises(CoordinateError) as error:
        point_from_latlon({"pos": "près de la mairie"}, "pos")
    assert "illisible" in str(error.value)


def test_geojson_geometries():
    polygon = {"type": "Polygon", "coordinates": [[[5, 43], [5.1, 43], [5.1, 43.1], [5, 43]]]}
    assert checked_geojson_geometry(polygon) is polygon
    for bad in (
        None,
        {},
        {"type": "Point", "coordinates": []},
        {"type": "Point", "coordinates": [500, 43]},
        {"type": "Point", "coordinates": [math.nan, 43]},
    ):
        with pytest.raises(CoordinateError):
            checked_geojson_geometry(bad)


def test_self_intersecting_polygon_is_refused():
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[5, 43], [5.1, 43.1], [5.1, 43], [5, 43.1], [5, 43]]],
    }
    with pytest.raises(CoordinateError) as error:
        checked_geojson_geometry(bowtie)
    assert "invalide" in str(error.value)
