import pytest

from coproduction.importing.decoding import decode
from coproduction.importing.errors import ImportFileError
from coproduction.importing.parsers import parse


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_detected(delimiter):
    text = (
        delimiter.join(["nom", "lat", "lon"]) + "\n" + delimiter.join(["A", "43.5", "5.4"]) + "\n"
    )
    parsed = parse(text)
    assert parsed.delimiter == delimiter
    assert parsed.columns == ["nom", "lat", "lon"]
    assert parsed.records[0].properties == {"nom": "A", "lat": "43.5", "lon": "5.4"}
    assert parsed.records[0].row == 2


def test_utf8_with_bom_is_read_without_the_bom():
    text, encoding = decode("\ufeffnom;ville\nÉcole;Nice\n".encode())
    assert encoding == "utf-8"
    assert parse(text).columns == ["nom", "ville"]


def test_cp1252_is_recognised():
    text, encoding = decode("nom;ville\nMédiathèque – œuvre;Fréjus\n".encode("cp1252"))
    assert encoding == "cp1252"
    assert "Médiathèque – œuvre" in text


def test_latin1_only_bytes_fall_back():
    text, encoding = decode(b"nom;ville\nCaf\xe9;Ni\x81ce\n")
    assert encoding == "latin-1"
    assert text.startswith("nom;ville\nCafé")


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"", "vide"),
        (b"   \n\n", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"PK\x03\x04rest-of-a-zip", "XLSX"),
        (b"%PDF-1.7 ...", "PDF"),
        (bytes(range(256)) * 4, "binaire"),
    ],
)
def test_unreadable_files_give_one_clear_message(content, expected):
    with pytest.raises(ImportFileError) as error:
        decode(content)
    assert expected in error.value.message


def test_multiline_quoted_values_keep_the_starting_row_number():
    text = 'nom;description;lat;lon\nA;"ligne 1\nligne 2";43.5;5.4\nB;x;43.6;5.5\n'
    parsed = parse(text)
    assert [r.row for r in parsed.records] == [2, 4]
    assert parsed.records[0].properties["description"] == "ligne 1\nligne 2"


def test_rows_with_too_many_values_are_rejected_with_their_number():
    parsed = parse("nom,lat,lon\nA,43.5,5.4\nB,x,43,5.4\n")
    assert len(parsed.records) == 1
    assert parsed.rejected[0].row == 3
    assert "4 valeurs pour 3 colonnes" in parsed.rejected[0].reason


def test_duplicate_and_empty_header_names_are_made_unique():
    parsed = parse("nom;;nom\nA;B;C\n")
    assert parsed.columns == ["nom", "colonne_2", "nom (2)"]


def test_truncated_csv_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse("nom;lat;lon;ville\nA;43.5;5.4;Nice\nB;43.6")
    assert "tronqué" in error.value.message


def test_truncated_quoted_csv_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse('nom;lat;lon\nA;43.5;5.4\n"B;43.6')
    assert "tronqué" in error.value.message


def test_truncated_json_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse('[{"nom": "A", "lat": 43.5}, {"nom": "B", "la')
    assert "tronqué" in error.value.message


def test_invalid_json_says_where():
    with pytest.raises(ImportFileError) as error:
        parse('[{"nom": "A",, "lat": 43.5}]')
    assert "ligne 1" in error.value.message


def test_text_that_is_neither_csv_nor_json_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse("Bonjour,\n")
    with pytest.raises(ImportFileError):
        parse("juste du texte sans séparateur\nune autre ligne\n")
    assert error.value.message


def test_header_only_csv_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse("nom;lat;lon\n")
    assert "pas de ligne de données" in error.value.message


def test_json_list_of_records_and_non_objects():
    parsed = parse('[{"nom": "A", "x": 1}, 3, {"nom": "B", "y": 2}]')
    assert parsed.format == "json"
    assert parsed.columns == ["nom", "x", "y"]
    assert [r.row for r in parsed.records] == [1, 3]
    assert parsed.rejected[0].row == 2


def test_json_wrapped_records_are_found():
    parsed = parse('{"data": [{"nom": "A"}]}')
    assert parsed.records[0].properties == {"nom": "A"}


def test_geojson_feature_collection():
    parsed = parse(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"nom": "A"}, '
        '"geometry": {"type": "Point", "coordinates": [5.4, 43.5]}}]}'
    )
    assert parsed.format == "geojson"
    assert parsed.records[0].geometry == {"type": "Point", "coordinates": [5.4, 43.5]}


def test_json_object_of_another_kind_is_refused():
    with pytest.raises(ImportFileError) as error:
        parse('{"hello": "world"}')
    assert "FeatureCollection" in error.value.message
