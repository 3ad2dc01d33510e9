"""The live board and the facilitator's actions on contributions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coproduction.views.client_strings import map_tile_settings

from ..models import Participant, Revert, WorkshopContribution
from ..services import board
from .common import managed_workshop


@login_required
def board_page(request, pk: int):
    workshop = managed_workshop(request, pk)
    return render(
        request,
        "workshops/board.html",
        {
            "workshop": workshop,
            "board_config": {
                "stateUrl": reverse("workshops:board-state", args=[pk]),
                "triageUrl": reverse("workshops:triage", args=[pk, 0]),
                "revertUrl": reverse("workshops:revert", args=[pk, 0]),
                "undoUrl": reverse("workshops:undo-revert", args=[pk, 0]),
                "pollSeconds": 2,
                "tiles": map_tile_settings(),
                "bbox": workshop.area_bbox,
                "triageChoices": [
                    {"value": value, "label": str(label)}
                    for value, label in WorkshopContribution.Triage.choices
                    if value != WorkshopContribution.Triage.NEW
                ],
                "strings": {
                    "revert": _("Retirer ses propositions en attente"),
                    "undo": _("Rétablir"),
                    "undone": _("rétabli"),
                    "confirmRevert": _("Retirer toutes les propositions en attente de %(name)s ?"),
                    "reverted": _("%(count)s proposition(s) de %(name)s retirée(s)"),
                    "empty": _("Aucune proposition pour l’instant."),
                    "updated": _("Mis à jour à %(time)s"),
                    "offline": _("Connexion perdue, nouvel essai dans quelques secondes…"),
                    "triage": _("Trier"),
                },
            },
        },
    )


@login_required
@require_GET
def board_state(request, pk: int):
    return JsonResponse(board.board_state(managed_workshop(request, pk)))


@login_required
@require_POST
def triage(request, pk: int, entry_pk: int):
    workshop = managed_workshop(request, pk)
    entry = get_object_or_404(WorkshopContribution, workshop=workshop, pk=entry_pk)
    label = request.POST.get("triage", "")
    if label not in WorkshopContribution.Triage.values:
        return HttpResponseBadRequest(_("Tri inconnu."))
    board.triage(entry, label, request.user)
    return JsonResponse({"id": entry.pk, "triage": entry.triage})


@login_required
@require_POST
def revert(request, pk: int, participant_pk: int):
    workshop = managed_workshop(request, pk)
    participant = get_object_or_404(Participant, workshop=workshop, pk=participant_pk)
    done = board.revert_participant(workshop, participant, request.user)
    return JsonResponse({"id": done.pk, "count": len(done.contribution_ids)})


@login_required
@require_POST
def undo_revert(request, pk: int, revert_pk: int):
    workshop = managed_workshop(request, pk)
    done = board.undo_revert(
        get_object_or_404(Revert, workshop=workshop, pk=revert_pk), request.user
    )
    return JsonResponse({"id": done.pk, "undone": done.undone_at is not None})
