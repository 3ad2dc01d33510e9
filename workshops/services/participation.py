"""Joining a workshop with a code and a pseudonym, coming back with a recovery code, and
forgetting who someone was. Participants have no account and no e-mail."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduction.authors import SESSION_CONTRIBUTOR_KEY
from coproduction.models import Contributor

from ..codes import RECOVERY_CODE_LENGTH, normalise_code, random_code
from ..models import Participant, Workshop

SESSION_PARTICIPANT_KEY = "participant_id"
MAX_PSEUDONYM_LENGTH = 40


class JoinRefused(Exception):
    """The message says what went wrong and what to do; status is the HTTP status to use."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _throttle_key(address: str) -> str:
    return f"workshops:join-failures:{address}"


def check_throttle(address: str) -> None:
    failures = cache.get(_throttle_key(address), 0)
    if failures >= settings.WORKSHOP_JOIN_MAX_FAILURES:
        minutes = max(1, settings.WORKSHOP_JOIN_FAILURE_WINDOW // 60)
        raise JoinRefused(
            _(
                "Trop de codes erronés depuis cet appareil. Réessayez dans %(minutes)s minutes, "
                "ou demandez le code à l’animateur."
            )
            % {"minutes": minutes},
            status=429,
        )


def _record_failure(address: str) -> None:
    key = _throttle_key(address)
    if cache.add(key, 1, timeout=settings.WORKSHOP_JOIN_FAILURE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.WORKSHOP_JOIN_FAILURE_WINDOW)


def workshop_for_code(code: str, address: str) -> Workshop:
    check_throttle(address)
    workshop = Workshop.objects.filter(join_code=normalise_code(code)).first()
    if workshop is None:
        _record_failure(address)
        raise JoinRefused(_("Ce code ne correspond à aucun atelier. Vérifiez chaque caractère."))
    if workshop.status == Workshop.Status.CLOSED:
        raise JoinRefused(_("Cet atelier est terminé : ce code ne sert plus."), status=410)
    if workshop.status == Workshop.Status.DRAFT:
        raise JoinRefused(
            _("Cet atelier n’est pas encore ouvert. Attendez le signal de l’animateur.")
        )
    return workshop


def clean_pseudonym(text: str) -> str:
    pseudonym = " ".join(text.split())
    if not pseudonym:
        raise JoinRefused(_("Choisissez un pseudonyme (votre prénom suffit)."))
    if len(pseudonym) > MAX_PSEUDONYM_LENGTH:
        raise JoinRefused(
            _("%(count)s caractères au plus pour le pseudonyme.") % {"count": MAX_PSEUDONYM_LENGTH}
        )
    return pseudonym


def _create_participant(workshop: Workshop, pseudonym: str, pre_registered: bool) -> Participant:
    for _attempt in range(10):
        try:
            with transaction.atomic():
                contributor = Contributor.objects.create(
                    kind=Contributor.Kind.PARTICIPANT, display_name=pseudonym
                )
                return Participant.objects.create(
                    workshop=workshop,
                    contributor=contributor,
                    pseudonym=pseudonym,
                    recovery_code=random_code(RECOVERY_CODE_LENGTH),
                    pre_registered=pre_registered,
                    joined_at=None if pre_registered else timezone.now(),
                )
        except IntegrityError as exc:
            if Participant.objects.filter(
                workshop=workshop, pseudonym=pseudonym, erased_at__isnull=True
            ).exists():
                raise JoinRefused(
                    _(
                        "Le pseudonyme « %(name)s » est déjà pris dans cet atelier : "
                        "ajoutez une initiale, par exemple."
                    )
                    % {"name": pseudonym}
                ) from exc
    raise RuntimeError("could not draw a free recovery code")


def join(code: str, pseudonym: str, address: str) -> Participant:
    workshop = workshop_for_code(code, address)
    return _create_participant(workshop, clean_pseudonym(pseudonym), pre_registered=False)


def resume(recovery_code: str, address: str) -> Participant:
    """Continue on another device: the recovery code is the participant's only key."""
    check_throttle(address)
    participant = (
        Participant.objects.select_related("workshop")
        .filter(recovery_code=normalise_code(recovery_code), erased_at__isnull=True)
        .first()
    )
    if participant is None:
        _record_failure(address)
        raise JoinRefused(_("Ce code de reprise est inconnu. Vérifiez chaque caractère."))
    if participant.workshop.status == Workshop.Status.CLOSED:
        raise JoinRefused(_("Cet atelier est terminé : ce code ne sert plus."), status=410)
    if participant.joined_at is None:
        participant.joined_at = timezone.now()
        participant.save(update_fields=["joined_at"])
    return participant


def pre_register(workshop: Workshop, pseudonyms: list[str]) -> list[Participant]:
    created = []
    for raw in pseudonyms:
        if raw.strip():
            created.append(_create_participant(workshop, clean_pseudonym(raw), pre_registered=True))
    return created


def attach_to_session(request, participant: Participant) -> None:
    request.session.cycle_key()
    request.session[SESSION_CONTRIBUTOR_KEY] = participant.contributor_id
    request.session[SESSION_PARTICIPANT_KEY] = participant.pk


def participant_for_request(request) -> Participant | None:
    participant_id = request.session.get(SESSION_PARTICIPANT_KEY)
    if not participant_id:
        return None
    participant = (
        Participant.objects.select_related("workshop", "contributor")
        .filter(pk=participant_id, erased_at__isnull=True)
        .first()
    )
    if participant is not None:
        Participant.objects.filter(pk=participant.pk).update(last_seen_at=timezone.now())
    return participant


def leave(request) -> None:
    request.session.pop(SESSION_CONTRIBUTOR_KEY, None)
    request.session.pop(SESSION_PARTICIPANT_KEY, None)


def erase_identity(participant: Participant) -> Participant:
    """The pseudonym and the recovery code go; the contributions stay, signed
    "participant anonyme"."""
    now = timezone.now()
    with transaction.atomic():
        participant.pseudonym = f"anonyme-{participant.pk}"
        participant.recovery_code = f"X{participant.pk:011d}"[:12]
        participant.erased_at = now
        participant.save(update_fields=["pseudonym", "recovery_code", "erased_at"])
        contributor = participant.contributor
        contributor.display_name = ""
        contributor.erased_at = now
        contributor.save(update_fields=["display_name", "erased_at"])
    return participant


def purge_expired_identities(now=None) -> int:
    """Erase the identities of participants of workshops closed longer ago than the retention
    period (settings.WORKSHOP_PARTICIPANT_RETENTION_DAYS)."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.WORKSHOP_PARTICIPANT_RETENTION_DAYS)
    expired = Participant.objects.filter(
        erased_at__isnull=True,
        workshop__status=Workshop.Status.CLOSED,
        workshop__closed_at__lt=limit,
    ).select_related("contributor")
    count = 0
    for participant in expired:
        erase_identity(participant)
        count += 1
    return count
