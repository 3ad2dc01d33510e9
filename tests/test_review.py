"""Data owners decide: accept (with changes), reject, ask; decisions make feature versions."""

import uuid

import pytest
from django.core import mail

from coproduction.models import Contributor, FeatureVersion, Membership, Organisation
from coproduction.services.contributions import create_contribution
from coproduction.services.review import (
    ReviewRefused,
    StaleProposal,
    accept,
    bulk_accept,
    reject,
    request_information,
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
def reviewer(django_user_model, dataset):
    user = django_user_model.objects.create_user("rev", "rev@example.org", "pw-123456789")
    organisation = Organisation.objects.create(name="Région Sud", slug="region-sud")
    Membership.objects.create(organisation=organisation, user=user, role="reviewer")
    dataset.organisation = organisation
    dataset.save()
    return user


def propose(author, dataset, key="1", kind="attributes", **kwargs):
    if kind != "add":
        kwargs.setdefault("feature", feature(dataset, key))
    if kind == "attributes":
        kwargs.setdefault("changes", {"cp": "04000"})
    return create_contribution(author, dataset, client_uuid=uuid.uuid4(), kind=kind, **kwargs)[0]


def test_accepting_creates_the_next_feature_version(dataset, alice, reviewer):
    proposal = propose(alice, dataset)
    accept(proposal, reviewer, note="Merci")
    place = feature(dataset)
    assert place.properties["cp"] == "04000" and place.version == 2
    assert "postcode_format" not in place.issue_codes
    version = place.versions.get(number=2)
    assert version.change == FeatureVersion.Change.CONTRIBUTED
    assert version.contribution == proposal and version.changed_fields == ["cp"]
    assert place.versions.get(number=1).properties["cp"] == "4000"  # history kept
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decided_by == reviewer
    assert place.provenance["cp"] == {"source": "contribution", "contribution": proposal.pk}
    assert mail.outbox[0].to == ["alice@example.org"]
    assert "acceptée" in mail.outbox[0].subject


def test_accept_with_changes_and_reject_with_reason(dataset, alice, reviewer, django_user_model):
    bob = contributor(django_user_model, "bob")
    mine = propose(alice, dataset, changes={"cp": "04001"})
    theirs = propose(bob, dataset, changes={"cp": "04002"})
    assert theirs in mine.competing.all()
    accept(mine, reviewer, changes={"cp": "04000"})
    mine.refresh_from_db()
    assert mine.status == "accepted_with_changes" and mine.final_changes == {"cp": "04000"}
    theirs.refresh_from_db()
    assert theirs.conflict  # the attribute changed since it was made
    reject(theirs, reviewer, reason="wrong", note="Le code est 04000.")
    theirs.refresh_from_db()
    assert theirs.status == "rejected" and theirs.rejection_reason == "wrong"
    assert feature(dataset).properties["cp"] == "04000"


def test_stale_proposal_must_be_resolved_explicitly(dataset, alice, reviewer):
    proposal = propose(alice, dataset, changes={"cp": "04004"})
    import_text(
        "id;nom;cp;horaires;tel;lat;lon\n"
        "1;Médiathèque de Digne;04000;Lundi 9h-12h;04 92 31 00 00;44.0925;6.2356\n"
        "2;EPN de Nice;06000;Mo-Fr 09:00-17:00;;43.7034;7.2663\n",
        "epn",
    )
    with pytest.raises(StaleProposal) as error:
        accept(proposal, reviewer)
    assert error.value.fields == ["cp"]
    accept(proposal, reviewer, resolve_stale=True)
    assert feature(dataset).properties["cp"] == "04004"


def test_move_close_add_and_comment(dataset, alice, reviewer):
    move = propose(
        alice, dataset, kind="move", geometry={"type": "Point", "coordinates": [6.2360, 44.0930]}
    )
    accept(move, reviewer)
    place = feature(dataset)
    assert place.geometry["coordinates"] == [6.236, 44.093]
    assert (place.properties["lat"], place.properties["lon"]) == ("44.093", "6.236")
    closed = propose(alice, dataset, key="2", kind="closed", comment="fermé")
    accept(closed, reviewer)
    assert feature(dataset, "2").is_removed
    added = propose(
        alice,
        dataset,
        kind="add",
        changes={"nom": "Tiers-lieu", "cp": "04000"},
        geometry={"type": "Point", "coordinates": [6.24, 44.09]},
    )
    accept(added, reviewer)
    added.refresh_from_db()
    new_place = added.feature
    assert new_place.name == "Tiers-lieu" and new_place.properties["lat"] == "44.09"
    assert dataset.features.filter(is_removed=False).count() == 2
    comment = propose(alice, dataset, kind="comment", comment="Très bien")
    accept(comment, reviewer)
    assert feature(dataset).version == 2  # a comment changes no data


def test_nobody_reviews_their_own_proposal(dataset, reviewer):
    own = propose(Contributor.for_user(reviewer), dataset)
    with pytest.raises(ReviewRefused):
        accept(own, reviewer)


def test_outsiders_cannot_review(dataset, alice, django_user_model, reviewer):
    outsider = django_user_model.objects.create_user("out", "out@example.org", "pw-123456789")
    with pytest.raises(ReviewRefused):
        accept(propose(alice, dataset), outsider)


def test_request_information_then_decide(dataset, alice, reviewer):
    proposal = propose(alice, dataset)
    request_information(proposal, reviewer, message="Avez-vous une source ?")
    proposal.refresh_from_db()
    assert proposal.info_requested and proposal.status == "pending"
    assert "question" in mail.outbox[-1].subject.lower()
    accept(proposal, reviewer)
    proposal.refresh_from_db()
    assert not proposal.info_requested


def test_bulk_accept_takes_only_simple_proposals(dataset, alice, reviewer, django_user_model):
    bob = contributor(django_user_model, "bob")
    simple = propose(alice, dataset, key="2", changes={"tel": "04 93 00 00 00"})
    first = propose(alice, dataset, changes={"cp": "04001"})
    second = propose(bob, dataset, changes={"cp": "04002"})
    move = propose(
        alice, dataset, kind="move", geometry={"type": "Point", "coordinates": [6.2360, 44.0930]}
    )
    accepted, skipped = bulk_accept([simple, first, second, move], reviewer)
    assert accepted == 1 and len(skipped) == 3
