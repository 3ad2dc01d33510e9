"""The contribution API: session auth with CSRF, idempotent creation, clear 400s, schema."""

import io
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from openapi_spec_validator import validate
from PIL import Image

from coproduction.models import Contribution

from .contributions_helpers import feature, make_dataset

pytestmark = pytest.mark.django_db

URL = "/api/contributions/"


@pytest.fixture
def dataset():
    return make_dataset()


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", "alice@example.org", "pw-123456789")


@pytest.fixture
def api(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    client.get("/")  # receives the CSRF cookie, as the page would
    return client


def post(client, payload, **extra):
    return client.post(
        URL,
        json.dumps(payload),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        **extra,
    )


def payload(target, **overrides):
    body = {
        "client_uuid": str(uuid.uuid4()),
        "dataset": target.slug,
        "feature": feature(target).pk,
        "kind": "attributes",
        "changes": {"cp": "04000"},
    }
    body.update(overrides)
    return body


def test_create_then_retry_gives_the_same_id(api, dataset):
    body = payload(dataset)
    first = post(api, body)
    second = post(api, body)
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["status"] == "pending"
    assert Contribution.objects.count() == 1


def test_csrf_is_required(alice, dataset):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(URL, json.dumps(payload(dataset)), content_type="application/json")
    assert response.status_code == 403
    assert not Contribution.objects.exists()


def test_anonymous_cannot_contribute(dataset):
    client = Client()
    response = client.post(URL, json.dumps(payload(dataset)), content_type="application/json")
    assert response.status_code == 403
    assert "Connectez-vous" in response.json()["detail"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"changes": {"nope": "x"}}, "changes"),
        ({"changes": {"cp": "12"}}, "changes.cp"),
        (
            {
                "kind": "move",
                "changes": None,
                "geometry": {"type": "Point", "coordinates": [5, 95]},
            },
            "geometry",
        ),
        ({"kind": "move", "geometry": "POINT(5 43)"}, "geometry"),
        ({"dataset": "inconnu"}, "dataset"),
        ({"feature": 999999}, "feature"),
        ({"client_uuid": "pas-un-uuid"}, "client_uuid"),
        ({"kind": "vandalisme"}, "kind"),
    ],
)
def test_bad_input_is_a_clear_400_and_stores_nothing(api, dataset, overrides, field):
    body = {k: v for k, v in payload(dataset, **overrides).items() if v is not None}
    response = post(api, body)
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Contribution.objects.exists()


def test_feature_of_another_dataset_is_a_400(api, dataset):
    other = make_dataset("autre")
    response = post(api, payload(dataset, feature=feature(other).pk))
    assert response.status_code == 400
    assert "feature" in response.json()["errors"]


def test_list_edit_and_withdraw(api, dataset, django_user_model):
    created = post(api, payload(dataset)).json()
    listed = api.get(URL, {"dataset": dataset.slug}).json()
    assert [c["id"] for c in listed["results"]] == [created["id"]]
    token = api.cookies["csrftoken"].value
    edited = api.patch(
        f"{URL}{created['id']}/",
        json.dumps({"changes": {"cp": "04004"}}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert edited.status_code == 200 and edited.json()["changes"] == {"cp": "04004"}
    bad = api.patch(
        f"{URL}{created['id']}/",
        json.dumps({"changes": {"cp": "x"}}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert bad.status_code == 400
    withdrawn = api.post(f"{URL}{created['id']}/withdraw/", HTTP_X_CSRFTOKEN=token)
    assert withdrawn.json()["status"] == "withdrawn"
    # Someone else sees nothing of it.
    mallory = django_user_model.objects.create_user("mallory", "m@example.org", "pw-123456789")
    other = Client()
    other.force_login(mallory)
    assert other.get(f"{URL}{created['id']}/").status_code == 404
    assert other.get(URL).json()["results"] == []


def _image(fmt="JPEG", size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 100, 50))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (43.0, 31.0, 0.0), 3: "E", 4: (5.0, 26.0, 0.0)}  # GPS
    exif[0x010F] = "CameraMaker"
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


def test_photo_is_resized_and_stripped_of_metadata(api, dataset, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    created = post(api, payload(dataset)).json()
    token = api.cookies["csrftoken"].value
    upload = io.BytesIO(_image())
    upload.name = "photo.jpg"
    response = api.post(f"{URL}{created['id']}/photo/", {"photo": upload}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    contribution = Contribution.objects.get(pk=created["id"])
    stored = Image.open(contribution.photo.path)
    assert max(stored.size) == 2048
    assert not stored.getexif()
    served = api.get(response.json()["photo"])
    assert served.status_code == 200
    assert Client().get(response.json()["photo"]).status_code == 404


@pytest.mark.parametrize("content, name", [(b"not an image", "x.jpg"), (b"GIF89a...", "x.gif")])
def test_photo_that_is_not_a_photo_is_refused(api, dataset, content, name, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    created = post(api, payload(dataset)).json()
    upload = io.BytesIO(content)
    upload.name = name
    response = api.post(
        f"{URL}{created['id']}/photo/",
        {"photo": upload},
        HTTP_X_CSRFTOKEN=api.cookies["csrftoken"].value,
    )
    assert response.status_code == 400
    assert "photo" in response.json()["errors"]


def test_oversized_photo_is_refused(api, dataset, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PHOTO_MAX_BYTES = 1000
    created = post(api, payload(dataset)).json()
    upload = io.BytesIO(_image(size=(400, 400)))
    upload.name = "big.jpg"
    response = api.post(
        f"{URL}{created['id']}/photo/",
        {"photo": upload},
        HTTP_X_CSRFTOKEN=api.cookies["csrftoken"].value,
    )
    assert response.status_code == 400 and "limite" in response.json()["errors"]["photo"][0]


@pytest.mark.parametrize(
    "kind, value, valid",
    [
        ("postcode", "04000", True),
        ("postcode", "4000", False),
        ("opening_hours", "Mo-Fr 09:00-12:00", True),
        ("opening_hours", "lundi 9h", False),
        ("siret", "73282932000074", True),
        ("siret", "73282932000075", False),
    ],
)
def test_validate_endpoint(client, db, kind, value, valid):
    body = client.get(reverse("coproduction:api-validate"), {"type": kind, "value": value}).json()
    assert body["valid"] is valid
    assert bool(body["message"]) is not valid


def test_openapi_schema_is_valid_and_describes_the_endpoints(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = (
        json.loads(response.content)
        if response["Content-Type"].startswith("application/json")
        else __import__("yaml").safe_load(response.content)
    )
    validate(schema)
    paths = schema["paths"]
    assert "/api/contributions/" in paths and "post" in paths["/api/contributions/"]
    assert "/api/datasets/{slug}/features/" in paths
    properties = schema["components"]["schemas"]["ContributionCreateRequest"]["properties"]
    assert "client_uuid" in properties


def test_a_citizen_signs_up_with_an_email_and_can_propose(dataset):
    client = Client()
    response = client.post(
        "/comptes/signup/",
        {
            "email": "camille@example.org",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
        },
    )
    assert response.status_code == 302
    response = client.post(URL, json.dumps(payload(dataset)), content_type="application/json")
    assert response.status_code == 201
    assert response.json()["author"] == "camille"
