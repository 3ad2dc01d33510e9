"""The facilitator's side: permissions, board, triage, reverts, zones and the report."""

import csv
import io
import uuid

import pytest
from django.urls import reverse

from coproduction.models import Contribution
from coproduction.services.contributions import create_contribution
from workshops.services import board, participation, zones
from workshops.services.report import build_report, write_csv

from ..contributions_helpers import feature
from .helpers import make_workshop

pytestmark = pytest.mark.django_db


def propose(participant, dataset, key="1", **kwargs):
    kwargs.setdefault("kind", "attributes")
    kwargs.setdefault("changes", {"cp": "04000"})
    return create_contribution(
        participant.contributor,
        dataset,
        client_uuid=uuid.uuid4(),
        feature=feature(dataset, key),
        **kwargs,
    )[0]


def test_only_the_workshops_facilitators_see_its_pages(client, workshop, django_user_model):
    urls = [
        reverse(name, args=[workshop.pk])
        for name in (
            "workshops:detail",
            "workshops:board",
            "workshops:board-state",
            "workshops:report",
            "workshops:report-csv",
            "workshops:handout",
            "workshops:cards",
            "workshops:edit",
        )
    ]
    stranger = django_user_model.objects.create_user("x", "x@example.org", "pw-123456789")
    client.force_login(stranger)
    assert all(client.get(url).status_code == 403 for url in urls)
    co = django_user_model.objects.create_user("co", "co@example.org", "pw-123456789")
    workshop.facilitators.add(co)
    client.force_login(co)
    assert all(client.get(url).status_code == 200 for url in urls)


def test_a_participant_cannot_act_in_another_workshop(client, workshop, facilitator):
    other = make_workshop(
        facilitator,
        dataset=workshop.datasets.first(),
        title="Autre",
        area_bbox=[6.0, 43.6, 7.4, 44.3],
    )
    other_zone = zones.split_in_grid(other, 1, 1)[0]
    participant = participation.join(workshop.join_code, "Nina", "10.1.0.1")
    session = client.session
    session["contributor_id"] = participant.contributor_id
    session["participant_id"] = participant.pk
    session.save()
    assert client.get(reverse("workshops:board-state", args=[other.pk])).status_code == 302
    assert client.post(reverse("workshops:claim-zone", args=[other_zone.pk])).status_code == 404
    other_zone.refresh_from_db()
    assert other_zone.claimed_by is None


def test_board_shows_contributions_per_participant_and_type(workshop):
    dataset = workshop.datasets.first()
    ana = participation.join(workshop.join_code, "Ana", "10.1.0.2")
    ben = participation.join(workshop.join_code, "Ben", "10.1.0.2")
    propose(ana, dataset)
    propose(ana, dataset, "2", kind="comment", changes=None, comment="ouvert le samedi")
    propose(ben, dataset, "2", changes={"tel": "04 93 00 00 00"})
    state = board.board_state(workshop)
    assert state["total"] == 3
    counts = {p["name"]: p["count"] for p in state["participants"]}
    assert counts == {"Ana": 2, "Ben": 1}
    kinds = {k["kind"]: k["count"] for k in state["kinds"]}
    assert kinds["attributes"] == 2 and kinds["comment"] == 1
    assert state["entries"][0]["participant_name"] == "Ben"  # newest first


def test_triage_revert_and_undo(workshop, facilitator):
    dataset = workshop.datasets.first()
    spammer = participation.join(workshop.join_code, "Spam", "10.1.0.3")
    first = propose(spammer, dataset)
    second = propose(spammer, dataset, "2", kind="comment", changes=None, comment="lol")
    entry = first.workshop_entry
    board.triage(entry, "spam", facilitator)
    entry.refresh_from_db()
    assert entry.triage == "spam" and entry.triaged_by == facilitator
    done = board.revert_participant(workshop, spammer, facilitator)
    assert sorted(done.contribution_ids) == sorted([first.pk, second.pk])
    assert set(Contribution.objects.values_list("status", flat=True)) == {"withdrawn"}
    assert first.events.filter(action="withdrawn", data__revert=True).exists()
    board.undo_revert(done, facilitator)
    assert set(Contribution.objects.values_list("status", flat=True)) == {"pending"}
    assert first.events.filter(action="restored").exists()
    done.refresh_from_db()
    assert done.undone_by == facilitator


def test_zones_are_claimed_and_released(workshop):
    workshop.area_bbox = [6.0, 43.6, 7.4, 44.3]
    workshop.save()
    grid = zones.split_in_grid(workshop, 2, 2)
    assert len(grid) == 4 and grid[0].bbox[3] == 44.3
    ana = participation.join(workshop.join_code, "Ana", "10.1.0.4")
    ben = participation.join(workshop.join_code, "Ben", "10.1.0.4")
    zones.claim(grid[0], ana)
    with pytest.raises(zones.ZoneTaken, match="Ana"):
        zones.claim(grid[0], ben)
    zones.release(grid[0])
    assert zones.claim(grid[0], ben).current_claimer == ben


def test_report_and_csv(workshop):
    dataset = workshop.datasets.first()
    ana = participation.join(workshop.join_code, "Ana", "10.1.0.5")
    participation.join(workshop.join_code, "Ben", "10.1.0.5")
    propose(ana, dataset)
    propose(ana, dataset, "2", kind="comment", changes=None, comment="ok")
    report = build_report(workshop)
    assert (report.participants, report.active_participants, report.contributions) == (2, 1, 2)
    assert report.places_improved == 2
    assert sum(b.count for b in report.timeline) == 2
    buffer = io.StringIO()
    write_csv(workshop, buffer)
    rows = list(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))
    assert len(rows) == 3 and rows[1][2] == "Ana"


def test_workshop_form_creates_a_workshop(client, facilitator, workshop, django_user_model):
    django_user_model.objects.create_user("co", "co@example.org", "pw-123456789")
    client.force_login(facilitator)
    dataset = workshop.datasets.first()
    response = client.post(
        reverse("workshops:create"),
        {
            "title": "Atelier Digne",
            "place_name": "Médiathèque",
            "starts_at": "2026-12-03T14:00",
            "ends_at": "2026-12-03T16:00",
            "datasets": [dataset.pk],
            "instructions": "Bienvenue",
            "co_facilitators": "co@example.org",
            "area_bbox_text": "6.0,43.9,6.5,44.3",
            "area_communes_text": "",
        },
    )
    assert response.status_code == 302
    created = facilitator.workshops_created.get(title="Atelier Digne")
    assert created.status == "draft" and created.area_bbox == [6.0, 43.9, 6.5, 44.3]
    assert created.facilitators.get().email == "co@example.org"
    bad = client.post(
        reverse("workshops:create"),
        {
            "title": "X",
            "starts_at": "2026-12-03T14:00",
            "ends_at": "2026-12-03T13:00",
            "datasets": [dataset.pk],
            "co_facilitators": "nobody@example.org",
            "area_bbox_text": "1,2,3",
        },
    )
    html = bad.content.decode()
    assert "La fin doit venir après le début." in html
    assert "Aucun compte pour : nobody@example.org." in html
    assert "4 nombres" in html


def test_join_page_throttles_and_explains(client, workshop, settings):
    settings.WORKSHOP_JOIN_MAX_FAILURES = 2
    url = reverse("workshops:join")
    for _ in range(2):
        assert client.post(url, {"code": "WRONG1", "pseudonym": "Eve"}).status_code == 400
    response = client.post(url, {"code": workshop.join_code, "pseudonym": "Eve"})
    assert response.status_code == 429
    assert "Trop de codes" in response.content.decode()


def test_join_page_puts_the_participant_in_the_session(client, workshop):
    response = client.post(
        reverse("workshops:join"), {"code": workshop.join_code, "pseudonym": "Eve"}, follow=True
    )
    html = response.content.decode()
    assert "Bienvenue, Eve" in html and "Votre code de reprise" in html
    assert client.session["participant_id"]
