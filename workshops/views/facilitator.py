"""Facilitators prepare, open, pause and close their workshops."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduction.models import Dataset

from ..forms import GridForm, PreRegisterForm, WorkshopForm
from ..models import Workshop, Zone
from ..services import participation, sessions, zones
from ..services.participation import JoinRefused
from ..services.sessions import communes_of
from .common import join_links, managed_workshop, qr_svg


@login_required
def workshop_list(request):
    workshops = (
        (
            Workshop.objects.filter(created_by=request.user)
            | Workshop.objects.filter(facilitators=request.user)
        )
        .distinct()
        .order_by("-starts_at")
    )
    return render(request, "workshops/workshop_list.html", {"workshops": workshops})


def _edit(request, workshop: Workshop | None):
    form = WorkshopForm(request.POST or None, instance=workshop)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if workshop is None:
            saved.created_by = request.user
        saved.save()
        form.save_m2m()
        saved.facilitators.set(form.cleaned_data["co_facilitators"])
        messages.success(request, _("Atelier enregistré."))
        return redirect("workshops:detail", pk=saved.pk)
    return render(
        request,
        "workshops/workshop_form.html",
        {
            "form": form,
            "workshop": workshop,
            "communes": communes_of(Dataset.objects.all()),
        },
    )


@login_required
def workshop_create(request):
    return _edit(request, None)


@login_required
def workshop_edit(request, pk: int):
    return _edit(request, managed_workshop(request, pk))


@login_required
def workshop_detail(request, pk: int):
    workshop = managed_workshop(request, pk)
    return render(
        request,
        "workshops/workshop_detail.html",
        {
            "workshop": workshop,
            **join_links(request, workshop),
            "participants": workshop.participants.order_by("pseudonym"),
            "zones": workshop.zones.select_related("claimed_by"),
            "pre_register_form": PreRegisterForm(),
            "grid_form": GridForm(),
        },
    )


@login_required
@require_POST
def workshop_status(request, pk: int):
    workshop = managed_workshop(request, pk)
    action = request.POST.get("action")
    if action == "open":
        sessions.open_workshop(workshop)
        messages.success(request, _("Atelier ouvert : donnez le code aux participants."))
    elif action == "pause":
        sessions.pause_workshop(workshop)
        messages.success(request, _("Atelier en pause : plus aucune proposition n’est acceptée."))
    elif action == "close":
        sessions.close_workshop(workshop)
        messages.success(request, _("Atelier terminé."))
    return redirect(request.POST.get("next") or workshop.get_absolute_url())


@login_required
@require_POST
def pre_register(request, pk: int):
    workshop = managed_workshop(request, pk)
    form = PreRegisterForm(request.POST)
    if form.is_valid():
        try:
            created = participation.pre_register(
                workshop, form.cleaned_data["pseudonyms"].splitlines()
            )
            messages.success(
                request, _("%(count)s participant(s) inscrit(s).") % {"count": len(created)}
            )
        except JoinRefused as exc:
            messages.error(request, exc.message)
    return redirect(workshop.get_absolute_url())


@login_required
def handout(request, pk: int):
    workshop = managed_workshop(request, pk)
    return render(
        request,
        "workshops/handout.html",
        {
            "workshop": workshop,
            **join_links(request, workshop),
        },
    )


@login_required
def participant_cards(request, pk: int):
    workshop = managed_workshop(request, pk)
    resume = request.build_absolute_uri(reverse("workshops:resume"))
    cards = [
        {"participant": p, "qr": qr_svg(f"{resume}?code={p.recovery_code}", str(p))}
        for p in workshop.participants.filter(erased_at__isnull=True).order_by("pseudonym")
    ]
    return render(
        request,
        "workshops/cards.html",
        {
            "workshop": workshop,
            "cards": cards,
            "resume_url": resume,
        },
    )


@login_required
@require_POST
def zone_split(request, pk: int):
    workshop = managed_workshop(request, pk)
    try:
        if request.POST.get("mode") == "communes":
            zones.split_by_commune(workshop)
        else:
            form = GridForm(request.POST)
            if not form.is_valid():
                raise ValueError(_("Indiquez de 1 à 6 lignes et colonnes."))
            zones.split_in_grid(workshop, form.cleaned_data["rows"], form.cleaned_data["columns"])
        messages.success(request, _("Zones créées."))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect(workshop.get_absolute_url())


@login_required
@require_POST
def zone_release(request, pk: int, zone_pk: int):
    workshop = managed_workshop(request, pk)
    zone = get_object_or_404(Zone, workshop=workshop, pk=zone_pk)
    zones.release(zone)
    messages.success(request, _("Zone libérée."))
    return redirect(workshop.get_absolute_url())
