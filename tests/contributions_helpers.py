"""Shared set-up for contribution tests: a small real-looking dataset and contributors."""

from coproduction.models import Contributor, Feature

from .conftest import import_text

PROFILE = {
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "lat", "lon": "lon"},
    "fields": {
        "cp": {"type": "postcode", "required": True, "label": "Code postal"},
        "horaires": {"type": "opening_hours", "label": "Horaires"},
        "tel": {"type": "phone", "label": "Téléphone"},
    },
}
CSV = (
    "id;nom;cp;horaires;tel;lat;lon\n"
    "1;Médiathèque de Digne;4000;Lundi 9h-12h;04 92 31 00 00;44.0925;6.2356\n"
    "2;EPN de Nice;06000;Mo-Fr 09:00-17:00;;43.7034;7.2663\n"
)


def make_dataset(slug="epn"):
    return import_text(CSV, slug, PROFILE).dataset


def feature(dataset, key="1") -> Feature:
    return Feature.objects.get(dataset=dataset, key=key)


def contributor(django_user_model, name="alice") -> Contributor:
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw-123456789")
    return Contributor.for_user(user)
