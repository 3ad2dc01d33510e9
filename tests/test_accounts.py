"""Facilitators and data owners sign in by e-mail; OpenStreetMap login only when configured."""

import pytest

pytestmark = pytest.mark.django_db


def test_openstreetmap_login_is_offered_only_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "/comptes/openstreetmap/login/" not in client.get("/comptes/login/").content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openstreetmap": {"APPS": [{"client_id": "id", "secret": "secret"}]}
    }
    assert "/comptes/openstreetmap/login/" in client.get("/comptes/login/").content.decode()


def test_email_login(client, django_user_model):
    django_user_model.objects.create_user("anim", "anim@example.org", "pw-123456789")
    response = client.post(
        "/comptes/login/", {"login": "anim@example.org", "password": "pw-123456789"}
    )
    assert response.status_code == 302
    assert client.get("/ateliers/").status_code == 200
