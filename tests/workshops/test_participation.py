"""Joining, resuming, privacy and the rules that bind a participant to their workshop."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from coproduction.models import Contribution
from coproduction.services.contributions import ContributionForbidden, create_contribution
from workshops.codes import ALPHABET, JOIN_CODE_LENGTH
from workshops.models import WorkshopContribution
from workshops.services import participation, sessions
from workshops.services.participation import JoinRefused

from ..contributions_helpers import feature, make_dataset
from .helpers import make_workshop

pytestmark = pytest.mark.django_db


def test_join_codes_are_short_and_unambiguous(workshop):
    assert len(workshop.join_code) == JOIN_CODE_LENGTH
    assert set(workshop.join_code) <= set(ALPHABET)
    assert not set("0O1IL2Z5S") & set(ALPHABET)


def test_join_with_code_and_pseudonym_no_email(workshop):
    typed = " " + workshop.join_code.lower()[:3] + "-" + workshop.join_code.lower()[3:]
    participant = participation.join(typed, "  Fatima  ", "10.0.0.1")
    assert participant.pseudonym == "Fatima"
    assert participant.contributor.kind == "participant"
    assert participant.contributor.user is None
    assert len(participant.recovery_code) == 8
    with pytest.raises(JoinRefused, match="déjà pris"):
        participation.join(workshop.join_code, "Fatima", "10.0.0.1")


def test_wrong_codes_are_throttled_per_address(workshop, settings):
    settings.WORKSHOP_JOIN_MAX_FAILURES = 5
    for _ in range(5):
        with pytest.raises(JoinRefused) as error:
            participation.join("XXXXXX", "Bob", "10.0.0.9")
        assert error.value.status == 400
    with pytest.raises(JoinRefused) as error:
        participation.join(workshop.join_code, "Bob", "10.0.0.9")  # even the right one, now
    assert error.value.status == 429 and "Trop de codes" in error.value.message
    # Another address is not affected.
    assert participation.join(workshop.join_code, "Bob", "10.0.0.10").pseudonym == "Bob"


def test_closed_draft_and_paused_workshops(facilitator):
    draft = make_workshop(facilitator, opened=False, title="Brouillon")
    draft.join_code = "ABCDEF"
    draft.save()
    with pytest.raises(JoinRefused, match="pas encore ouvert"):
        participation.join("ABCDEF", "Ana", "10.0.0.2")
    closed = make_workshop(facilitator, dataset=draft.datasets.first(), title="Fini")
    sessions.close_workshop(closed)
    with pytest.raises(JoinRefused) as error:
        participation.join(closed.join_code, "Ana", "10.0.0.2")
    assert error.value.status == 410 and "terminé" in error.value.message


def test_recovery_code_resumes_on_another_device(workshop):
    participant = participation.join(workshop.join_code, "Léo", "10.0.0.3")
    again = participation.resume(participant.recovery_code.lower(), "10.0.0.4")
    assert again.pk == participant.pk
    with pytest.raises(JoinRefused):
        participation.resume("NOPE1234", "10.0.0.4")


def test_pre_registered_participants(workshop):
    created = participation.pre_register(workshop, ["Amina", "", "  Jules "])
    assert [p.pseudonym for p in created] == ["Amina", "Jules"]
    assert all(p.pre_registered and p.joined_at is None for p in created)
    resumed = participation.resume(created[0].recovery_code, "10.0.0.5")
    assert resumed.joined_at is not None


def _propose(participant, dataset, **kwargs):
    kwargs.setdefault("feature", feature(dataset))
    kwargs.setdefault("kind", "comment")
    kwargs.setdefault("comment", "vu")
    return create_contribution(participant.contributor, dataset, client_uuid=uuid.uuid4(), **kwargs)


def test_participant_contributes_within_the_workshop_only(workshop, facilitator):
    dataset = workshop.datasets.first()
    participant = participation.join(workshop.join_code, "Inès", "10.0.0.6")
    contribution, _ = _propose(participant, dataset)
    entry = WorkshopContribution.objects.get(contribution=contribution)
    assert entry.workshop == workshop and entry.participant == participant
    other_dataset = make_dataset("autre")
    with pytest.raises(ContributionForbidden, match="ne fait pas partie"):
        _propose(participant, other_dataset, feature=feature(other_dataset))
    sessions.pause_workshop(workshop)
    with pytest.raises(ContributionForbidden, match="pause"):
        _propose(participant, dataset)
    sessions.close_workshop(workshop)
    with pytest.raises(ContributionForbidden, match="terminé"):
        _propose(participant, dataset)


def test_area_limits_where_participants_propose(facilitator):
    dataset = make_dataset()
    # Only around Digne (feature 1); Nice (feature 2) is outside.
    workshop = make_workshop(facilitator, dataset=dataset, area_bbox=[6.0, 43.9, 6.5, 44.3])
    participant = participation.join(workshop.join_code, "Zoé", "10.0.0.7")
    _propose(participant, dataset)
    with pytest.raises(ContributionForbidden, match="hors de la zone"):
        _propose(participant, dataset, feature=feature(dataset, "2"))
    with pytest.raises(ContributionForbidden, match="hors de la zone"):
        _propose(
            participant,
            dataset,
            feature=None,
            kind="add",
            comment="",
            changes={"nom": "Nouveau", "cp": "06000"},
            geometry={"type": "Point", "coordinates": [7.27, 43.70]},
        )


def test_area_by_communes(facilitator):
    from coproduction.models import Feature

    from ..conftest import import_text

    dataset = import_text(
        "id;nom;ville;lat;lon\n1;A;Digne-les-Bains;44.09;6.23\n2;B;Nice;43.70;7.27\n",
        "communes",
        {
            "id_field": "id",
            "name_field": "nom",
            "commune_field": "ville",
            "geometry": {"lat": "lat", "lon": "lon"},
        },
    ).dataset
    workshop = make_workshop(facilitator, dataset=dataset, area_communes=["DIGNE-LES-BAINS"])
    participant = participation.join(workshop.join_code, "Yves", "10.0.0.13")
    digne, nice = (Feature.objects.get(dataset=dataset, key=k) for k in ("1", "2"))
    _propose(participant, dataset, feature=digne)  # case does not matter
    with pytest.raises(ContributionForbidden, match="hors de la zone"):
        _propose(participant, dataset, feature=nice)


def test_erasing_identity_keeps_contributions_anonymous(workshop):
    dataset = workshop.datasets.first()
    participant = participation.join(workshop.join_code, "Marius", "10.0.0.8")
    contribution, _ = _propose(participant, dataset)
    participation.erase_identity(participant)
    contribution.refresh_from_db()
    assert str(contribution.author) == "participant anonyme"
    assert "Marius" not in str(participant.__class__.objects.get(pk=participant.pk))
    with pytest.raises(JoinRefused):
        participation.resume(participant.recovery_code, "10.0.0.8")
    assert Contribution.objects.filter(pk=contribution.pk).exists()


def test_retention_period_erases_old_identities(workshop, settings):
    settings.WORKSHOP_PARTICIPANT_RETENTION_DAYS = 30
    participant = participation.join(workshop.join_code, "Rosa", "10.0.0.11")
    sessions.close_workshop(workshop)
    assert participation.purge_expired_identities() == 0
    later = timezone.now() + timedelta(days=31)
    assert participation.purge_expired_identities(now=later) == 1
    participant.refresh_from_db()
    assert participant.erased_at is not None and participant.pseudonym != "Rosa"


def test_purge_command(workshop, settings, capsys):
    from django.core.management import call_command

    settings.WORKSHOP_PARTICIPANT_RETENTION_DAYS = 0
    participation.join(workshop.join_code, "Rosa", "10.0.0.12")
    sessions.close_workshop(workshop)
    workshop.closed_at = timezone.now() - timedelta(days=1)
    workshop.save()
    call_command("purge_participants")
    assert "1 identité(s) effacée(s)" in capsys.readouterr().out
