"""Pages and JSON endpoints, through Django's test client."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coproduction.models import Dataset, Feature

from .conftest import DEMO_DIR, import_text

pytestmark = pytest.mark.django_db


def features_url(slug, **params):
    url = reverse("coproduction:api-features", args=[slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_dataset_list_shows_datasets_and_counts(client, lycees):
    response = client.get("/")
    assert response.status_code == 200
    assert "Lycées de la région" in response.content.decode()
    assert "310 lieux" in response.content.decode()


def test_map_page_serves_leaflet_locally(client, lycees):
    response = client.get(reverse("coproduction:dataset-map", args=["lycees"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "unpkg" not in html and "cdn" not in html.lower()
    assert 'data-tiles-url=""' in html  # tests run in no-tile mode


def test_tile_layer_is_configurable(client, lycees, settings):
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "© Exemple"
    html = client.get(reverse("coproduction:dataset-map", args=["lycees"])).content.decode()
    assert 'data-tiles-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "© Exemple" in html


def test_visible_area_endpoint_returns_features_in_the_box(client, lycees):
    # Around Marseille only.
    response = client.get(features_url("lycees", bbox="5.2,43.2,5.6,43.4"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and not body["truncated"]
    assert 20 < len(body["features"]) < 310
    for feature in body["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 5.2 <= lon <= 5.6 and 43.2 <= lat <= 43.4
    everything = client.get(features_url("lycees")).json()
    assert len(everything["features"]) == 310


def test_visible_area_endpoint_caps_its_answer(client, lycees, settings):
    settings.MAP_MAX_FEATURES_PER_REQUEST = 10
    body = client.get(features_url("lycees")).json()
    assert body["truncated"] and len(body["features"]) == 10


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "6,43,5,44", "nan,1,2,3"])
def test_visible_area_endpoint_rejects_bad_boxes(client, lycees, bbox):
    response = client.get(features_url("lycees", bbox=bbox))
    assert response.status_code == 400
    assert "bbox" in response.json()["error"]


def test_visible_area_endpoint_unknown_dataset(client, db):
    assert client.get(features_url("nope")).status_code == 404


def test_feature_endpoint_gives_all_attributes_in_source_order(client, lycees):
    feature = Feature.objects.get(dataset=lycees, key="0040010P|GT")
    body = client.get(reverse("coproduction:api-feature", args=["lycees", feature.pk])).json()
    assert body["meta"]["columns"][:3] == ["uai", "nom", "type"]
    assert body["properties"]["nom"] == "Lycee Felix Esclangon"
    assert body["meta"]["url"] == reverse(
        "coproduction:feature-detail", args=["lycees", feature.pk]
    )


def test_feature_of_another_dataset_is_not_found(client, lycees):
    import_text(
        "id;lat;lon\n1;43.5;5.4\n",
        "other",
        {"id_field": "id", "geometry": {"lat": "lat", "lon": "lon"}},
    )
    other = Feature.objects.get(dataset__slug="other")
    assert (
        client.get(reverse("coproduction:api-feature", args=["lycees", other.pk])).status_code
        == 404
    )


def test_list_view_search_filters_and_pagination(client, db):
    from .conftest import import_demo_file

    import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    )
    url = reverse("coproduction:dataset-table", args=["inclusion"])
    page = client.get(url).content.decode()
    assert "1231 lieux trouvés" in page
    assert "Page 1 sur 25" in page
    assert "<caption" in page and 'scope="col"' in page
    # Accent- and case-insensitive search on every attribute.
    found = client.get(url, {"q": "mediatheque digne"}).content.decode()
    assert "Médiathèque" in found or "médiathèque" in found.lower()
    assert "1231 lieux trouvés" not in found
    postcode = client.get(url, {"probleme": "postcode_format"}).content.decode()
    assert "543 lieux trouvés" in postcode
    clean = client.get(url, {"etat": "sans-probleme"}).content.decode()
    assert "0 lieu trouvé" in clean
    page2 = client.get(url, {"probleme": "postcode_format", "page": 2}).content.decode()
    assert "probleme=postcode_format&amp;page=3" in page2


def test_feature_page_shows_attributes_problems_and_history(client, db):
    import_text(
        "id;nom;cp;lat;lon\n1;<b>Alpha</b>;4000;43.5;5.4\n",
        "f",
        {
            "id_field": "id",
            "name_field": "nom",
            "geometry": {"lat": "lat", "lon": "lon"},
            "fields": {"cp": {"type": "postcode"}},
        },
    )
    feature = Feature.objects.get(dataset__slug="f")
    html = client.get(
        reverse("coproduction:feature-detail", args=["f", feature.pk])
    ).content.decode()
    assert "&lt;b&gt;Alpha&lt;/b&gt;" in html and "<b>Alpha</b>" not in html
    assert "Code postal qui n’a pas 5 chiffres" in html
    assert "Version 1 : ajouté" in html


def test_history_page_lists_versions_and_rejected_rows(client, db):
    import_text(
        "id;lat;lon\n1;43.5;5.4\n2;;\n",
        "h",
        {"id_field": "id", "geometry": {"lat": "lat", "lon": "lon"}},
    )
    html = client.get(reverse("coproduction:dataset-history", args=["h"])).content.decode()
    assert "Version 1" in html and "latitude vide" in html


def test_export_downloads(client, lycees):
    response = client.get(reverse("coproduction:dataset-export", args=["lycees", "csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="lycees.csv"'
    assert response.content.decode().startswith("uai,nom,type")
    geo = client.get(reverse("coproduction:dataset-export", args=["lycees", "geojson"]))
    assert len(json.loads(geo.content)["features"]) == 310
    assert (
        client.get(reverse("coproduction:dataset-export", args=["lycees", "xls"])).status_code
        == 404
    )


def test_import_page_requires_a_data_owner(client, django_user_model):
    url = reverse("coproduction:dataset-import")
    assert client.get(url).status_code == 302  # to the login page
    django_user_model.objects.create_user("citizen", "c@example.org", "pw-123456789")
    client.login(username="citizen", password="pw-123456789")
    assert client.get(url).status_code == 403


def test_import_page_imports_an_uploaded_file(client, data_owner):
    client.force_login(data_owner)
    upload = SimpleUploadedFile(
        "cinemas.csv", (DEMO_DIR / "cinemas-paca-2022.csv").read_bytes(), content_type="text/csv"
    )
    response = client.post(
        reverse("coproduction:dataset-import"),
        {
            "file": upload,
            "slug": "cinemas",
            "title": "Cinémas",
            "profile_name": "cinemas-paca",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "199 ajouté(s)" in response.content.decode()
    dataset = Dataset.objects.get(slug="cinemas")
    assert dataset.created_by == data_owner


def test_import_page_shows_file_errors_and_changes_nothing(client, data_owner):
    client.force_login(data_owner)
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png")
    response = client.post(
        reverse("coproduction:dataset-import"),
        {
            "file": upload,
            "slug": "photo",
            "profile_name": "__auto__",
        },
    )
    assert response.status_code == 200
    assert "format PNG" in response.content.decode()
    assert not Dataset.objects.exists()


def test_import_page_needs_exactly_one_source(client, data_owner):
    client.force_login(data_owner)
    response = client.post(
        reverse("coproduction:dataset-import"), {"slug": "x", "profile_name": "__auto__"}
    )
    assert "soit un fichier, soit une adresse web" in response.content.decode()


def test_reimport_page_keeps_the_profile(client, data_owner, lycees):
    lycees.created_by = data_owner
    lycees.save()
    client.force_login(data_owner)
    content = (
        (DEMO_DIR / "lycees-paca-2025.csv")
        .read_bytes()
        .replace(b"Lycee Felix Esclangon", b"Lycee Felix-Esclangon")
    )
    response = client.post(
        reverse("coproduction:dataset-reimport", args=["lycees"]),
        {
            "file": SimpleUploadedFile("lycees.csv", content),
            "slug": "lycees",
            "profile_name": "__stored__",
        },
        follow=True,
    )
    assert "1 modifié(s)" in response.content.decode()
    assert Dataset.objects.get(slug="lycees").current_version.number == 2


def test_reimport_page_is_forbidden_to_others(client, django_user_model, lycees):
    user = django_user_model.objects.create_user("x", "x@example.org", "pw-123456789")
    client.force_login(user)
    assert client.get(reverse("coproduction:dataset-reimport", args=["lycees"])).status_code == 403


def test_interface_is_french_by_default_and_english_on_request(client, lycees):
    assert "Jeux de données" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Datasets" in english
    assert 'lang="en"' in english
