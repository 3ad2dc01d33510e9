"""Proposals: stored once, validated, edited and withdrawn, with competitors and conflicts."""

import uuid

import pytest

from coproduction.models import Contribution, ContributionEvent
from coproduction.services.contribution_rules import ContributionInvalid
from coproduction.services.contributions import (
    ContributionForbidden,
    DuplicateClientUuid,
    create_contribution,
    edit_contribution,
    withdraw_contribution,
)

from .conftest import import_text
from .contributions_helpers import contributor, feature, make_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    return make_dataset()


@pytest.fixture
def alice(django_user_model):
    return contributor(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return contributor(django_user_model, "bob")


def propose(author, dataset, kind="attributes", client_uuid=None, **kwargs):
    if "feature" not in kwargs:
        kwargs["feature"] = feature(dataset)
    if kind == "add":
        kwargs["feature"] = None
    return create_contribution(
        author, dataset, client_uuid=client_uuid or uuid.uuid4(), kind=kind, **kwargs
    )


def test_each_kind_of_proposal_is_stored_against_the_feature_version(dataset, alice):
    place = feature(dataset)
    comment, _ = propose(alice, dataset, "comment", comment="Fermé le lundi")
    fix, _ = propose(alice, dataset, changes={"cp": "04000"})
    move, _ = propose(
        alice, dataset, "move", geometry={"type": "Point", "coordinates": [6.2360, 44.0930]}
    )
    closed, _ = propose(alice, dataset, "closed", comment="Le local est vide")
    added, _ = propose(
        alice,
        dataset,
        "add",
        changes={"nom": "Tiers-lieu", "cp": "04000"},
        geometry={"type": "Point", "coordinates": [6.24, 44.09]},
    )
    assert fix.base_version == place.version == 1
    assert fix.previous_values == {
        "cp": 4000 if isinstance(place.properties["cp"], int) else "4000"
    }
    assert move.previous_geometry == place.geometry
    assert added.feature is None and added.changes["nom"] == "Tiers-lieu"
    assert {c.kind for c in (comment, fix, move, closed, added)} == set(Contribution.Kind.values)
    assert all(c.status == "pending" for c in (comment, fix, move, closed, added))
    # The dataset itself is untouched: a proposal is never a direct edit.
    place.refresh_from_db()
    assert place.properties["cp"] == "4000" and place.version == 1


def test_same_client_uuid_is_stored_once(dataset, alice, bob):
    key = uuid.uuid4()
    first, created = propose(alice, dataset, client_uuid=key, changes={"cp": "04000"})
    again, created_again = propose(alice, dataset, client_uuid=key, changes={"cp": "04000"})
    assert created and not created_again and first.pk == again.pk
    assert Contribution.objects.count() == 1
    with pytest.raises(DuplicateClientUuid):
        propose(bob, dataset, client_uuid=key, changes={"cp": "04000"})


@pytest.mark.parametrize(
    "kind, kwargs, field",
    [
        ("attributes", {"changes": {"inconnu": "x"}}, "changes"),
        ("attributes", {"changes": {"nom": "Médiathèque de Digne"}}, "changes"),  # unchanged
        ("attributes", {"changes": {"cp": "ABCDE"}}, "changes.cp"),
        ("attributes", {"changes": {"cp": ""}}, "changes.cp"),  # required
        ("attributes", {"changes": {"horaires": "lundi matin"}}, "changes.horaires"),
        ("attributes", {"changes": {"tel": "12"}}, "changes.tel"),
        ("attributes", {"changes": {"nom": "x" * 1001}}, "changes.nom"),
        ("attributes", {"changes": {"nom": {"nested": 1}}}, "changes.nom"),
        ("attributes", {"changes": {"lat": "44"}}, "changes"),  # coordinates move via "move"
        ("attributes", {"changes": {}}, "changes"),
        ("comment", {"comment": "   "}, "comment"),
        ("comment", {"comment": "x" * 2001}, "comment"),
        ("move", {"geometry": {"type": "Point", "coordinates": [200, 44]}}, "geometry"),
        ("move", {"geometry": {"type": "Point", "coordinates": ["a", 44]}}, "geometry"),
        (
            "move",
            {"geometry": {"type": "LineString", "coordinates": [[6, 44], [6.1, 44]]}},
            "geometry",
        ),
        ("move", {"geometry": {"type": "Point", "coordinates": [6.2356, 44.0925]}}, "geometry"),
        ("move", {}, "geometry"),
        (
            "add",
            {"changes": {"cp": "04000"}, "geometry": {"type": "Point", "coordinates": [6, 44]}},
            "changes.nom",
        ),
        ("unknown", {}, "kind"),
    ],
)
def test_invalid_proposals_are_refused_field_by_field(dataset, alice, kind, kwargs, field):
    with pytest.raises(ContributionInvalid) as error:
        propose(alice, dataset, kind, **kwargs)
    assert field in error.value.errors
    assert all(error.value.errors[field])
    assert not Contribution.objects.exists()


def test_feature_of_another_dataset_is_refused(dataset, alice):
    other = make_dataset("autre")
    with pytest.raises(ContributionInvalid) as error:
        propose(alice, dataset, changes={"cp": "04000"}, feature=feature(other))
    assert "feature" in error.value.errors


def test_numbers_stay_numbers(alice):
    dataset = import_text(
        '[{"id": 1, "nom": "A", "places": 10, "lat": 43.5, "lon": 5.4}]',
        "json",
        {"id_field": "id", "name_field": "nom", "geometry": {"lat": "lat", "lon": "lon"}},
        name="a.json",
    ).dataset
    proposal, _ = propose(alice, dataset, changes={"places": "12"})
    assert proposal.changes == {"places": 12}
    with pytest.raises(ContributionInvalid) as error:
        propose(alice, dataset, changes={"places": "douze"})
    assert error.value.errors["changes.places"] == ["Cette information doit être un nombre."]


def test_competing_proposals_are_linked_both_stay(dataset, alice, bob):
    a, _ = propose(alice, dataset, changes={"cp": "04000"})
    b, _ = propose(bob, dataset, changes={"cp": "04001"})
    c, _ = propose(bob, dataset, changes={"tel": "04 92 31 00 01"})
    same, _ = propose(bob, dataset, "comment", comment="ok")
    assert set(a.competing.all()) == {b}
    assert set(b.competing.all()) == {a}
    assert not c.competing.exists() and not same.competing.exists()
    withdraw_contribution(b, bob)
    assert not a.competing.exists()
    assert Contribution.objects.filter(pk=b.pk, status="withdrawn").exists()


def test_proposal_on_a_changed_attribute_is_a_conflict(dataset, alice):
    proposal, _ = propose(alice, dataset, changes={"cp": "04000"})
    other, _ = propose(alice, dataset, changes={"tel": "04 92 31 00 01"})
    # The portal publishes a new version where the postcode changed.
    import_text(
        "id;nom;cp;horaires;tel;lat;lon\n"
        "1;Médiathèque de Digne;04000;Lundi 9h-12h;04 92 31 00 00;44.0925;6.2356\n"
        "2;EPN de Nice;06000;Mo-Fr 09:00-17:00;;43.7034;7.2663\n",
        "epn",
    )
    proposal.refresh_from_db()
    other.refresh_from_db()
    assert proposal.conflict and proposal.conflict_fields == ["cp"]
    assert not other.conflict
    assert proposal.events.filter(action=ContributionEvent.Action.CONFLICT).exists()
    # A late proposal made on the old version (base_version=1) is a conflict at once.
    late, _ = propose(alice, dataset, changes={"cp": "04100"}, base_version=1)
    assert late.conflict and late.base_version == 1


def test_edit_and_withdraw_only_own_pending_proposals(dataset, alice, bob):
    proposal, _ = propose(alice, dataset, changes={"cp": "04000"})
    edited = edit_contribution(proposal, alice, changes={"cp": "04004"}, comment="vu sur place")
    assert edited.changes == {"cp": "04004"} and edited.comment == "vu sur place"
    event = edited.events.get(action="edited")
    assert event.data["before"]["changes"] == {"cp": "04000"}  # nothing is lost
    with pytest.raises(ContributionForbidden):
        edit_contribution(proposal, bob, comment="pas à moi")
    with pytest.raises(ContributionForbidden):
        withdraw_contribution(proposal, bob)
    withdraw_contribution(proposal, alice)
    with pytest.raises(ContributionForbidden):
        edit_contribution(proposal, alice, comment="trop tard")
    with pytest.raises(ContributionInvalid):
        other, _ = propose(alice, dataset, changes={"tel": "04 92 31 00 01"})
        edit_contribution(other, alice, changes={"tel": "1"})


def test_codes_stay_text_where_the_portal_published_numbers(alice):
    from .conftest import import_demo_file

    dataset = import_demo_file(
        "paca-lieux-inclusion-numerique.json", "inclusion", "lieux-inclusion-numerique-paca"
    ).dataset
    place = dataset.features.get(key="Centre Communal d'Action Sociale|DIGNE-LES-BAINS")
    assert place.properties["adresse_code_postal"] == 4000
    proposal, _ = propose(alice, dataset, feature=place, changes={"adresse_code_postal": "04000"})
    assert proposal.changes == {"adresse_code_postal": "04000"}


def test_proposing_again_supersedes_ones_own_earlier_proposal(dataset, alice, bob):
    first, _ = propose(alice, dataset, changes={"cp": "04001"})
    other, _ = propose(bob, dataset, changes={"cp": "04002"})
    second, _ = propose(alice, dataset, changes={"cp": "04000", "tel": "04 92 31 00 01"})
    first.refresh_from_db()
    other.refresh_from_db()
    assert first.status == "superseded"
    assert first.events.filter(action="superseded", data__by=second.pk).exists()
    assert other.status == "pending"  # someone else's proposal is never superseded
    assert other in second.competing.all()
