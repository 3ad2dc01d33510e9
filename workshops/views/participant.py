"""Citizens join with a code and a pseudonym, continue elsewhere with a recovery code, claim a
zone, and may erase who they were."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..codes import format_recovery_code
from ..forms import JoinForm, ResumeForm
from ..models import Zone
from ..services import participation, zones
from ..services.participation import JoinRefused


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def join(request):
    form = JoinForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            participant = participation.join(
                form.cleaned_data["code"], form.cleaned_data["pseudonym"], client_address(request)
            )
        except JoinRefused as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            participation.attach_to_session(request, participant)
            request.session["show_recovery_code"] = True
            return redirect("workshops:participant-home")
    return render(request, "workshops/join.html", {"form": form}, status=status)


def resume(request):
    form = ResumeForm(request.POST or None, initial={"recovery_code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            participant = participation.resume(
                form.cleaned_data["recovery_code"], client_address(request)
            )
        except JoinRefused as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            participation.attach_to_session(request, participant)
            messages.success(request, _("Bon retour, %(name)s !") % {"name": participant})
            return redirect("workshops:participant-home")
    return render(request, "workshops/resume.html", {"form": form}, status=status)


def participant_home(request):
    participant = participation.participant_for_request(request)
    if participant is None:
        return redirect("workshops:join")
    workshop = participant.workshop
    return render(
        request,
        "workshops/participant_home.html",
        {
            "participant": participant,
            "workshop": workshop,
            "recovery_code": format_recovery_code(participant.recovery_code),
            "show_recovery_code": request.session.pop("show_recovery_code", False),
            "datasets": workshop.datasets.order_by("title"),
            "zones": workshop.zones.select_related("claimed_by"),
        },
    )


@require_POST
def claim_zone(request, zone_pk: int):
    participant = participation.participant_for_request(request)
    if participant is None:
        return redirect("workshops:join")
    zone = get_object_or_404(Zone, pk=zone_pk, workshop=participant.workshop)
    try:
        zones.claim(zone, participant)
        messages.success(request, _("Vous vous occupez de « %(zone)s ».") % {"zone": zone})
    except zones.ZoneTaken as exc:
        messages.error(request, str(exc))
    return redirect("workshops:participant-home")


@require_POST
def erase_me(request):
    participant = participation.participant_for_request(request)
    if participant is not None:
        participation.erase_identity(participant)
    participation.leave(request)
    messages.success(
        request,
        _(
            "Votre pseudonyme est effacé. Vos propositions restent, "
            "signées « participant anonyme »."
        ),
    )
    return redirect("workshops:join")


@require_POST
def leave(request):
    participation.leave(request)
    messages.success(request, _("Vous avez quitté l’atelier sur cet appareil."))
    return redirect("workshops:join")
