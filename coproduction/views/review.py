"""The review queue of data owners: filter, compare side by side, decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Contribution, Dataset, Organisation
from ..policies import reference_values
from ..services import review as review_service
from ..services.contribution_rules import ContributionInvalid, editable_fields
from ..services.contributions import changed_since

Status = Contribution.Status
PAGE_SIZE = 30


def reviewable_datasets(user):
    """Datasets this user reviews: of their organisations, or theirs without organisation."""
    if user.is_superuser:
        return Dataset.objects.all()
    organisations = Organisation.objects.filter(memberships__user=user)
    own = Q(organisation__isnull=True) & (
        Q(created_by=user) if not user.has_perm("coproduction.change_dataset") else Q()
    )
    return Dataset.objects.filter(Q(organisation__in=organisations) | own).distinct()


@login_required
def review_queue(request):
    datasets = reviewable_datasets(request.user)
    if not datasets.exists():
        raise PermissionDenied
    queryset = (
        Contribution.objects.filter(dataset__in=datasets)
        .exclude(author__user=request.user)
        .select_related("dataset", "feature", "author")
        .prefetch_related("competing")
        .order_by("created_at")
    )
    params = request.GET
    status = params.get("etat", Status.PENDING)
    if status:
        queryset = queryset.filter(status=status)
    if params.get("jeu"):
        queryset = queryset.filter(dataset__slug=params["jeu"])
    if params.get("type"):
        queryset = queryset.filter(kind=params["type"])
    if params.get("atelier"):
        queryset = queryset.filter(workshop_entry__workshop_id=params["atelier"])
    if params.get("conflits") == "1":
        queryset = queryset.filter(Q(conflict=True) | Q(competing__isnull=False)).distinct()
    page = Paginator(queryset, PAGE_SIZE).get_page(params.get("page"))
    workshops = (
        Contribution.objects.filter(dataset__in=datasets, workshop_entry__isnull=False)
        .values_list("workshop_entry__workshop_id", "workshop_entry__workshop__title")
        .distinct()
    )
    return render(
        request,
        "coproduction/review_queue.html",
        {
            "page": page,
            "datasets": datasets.order_by("title"),
            "workshops": sorted(set(workshops), key=lambda w: w[1]),
            "kinds": Contribution.Kind.choices,
            "statuses": Status.choices,
            "filters": {k: params.get(k, "") for k in ("jeu", "type", "atelier", "conflits")},
            "status": status,
            "simple_ids": [c.pk for c in page.object_list if review_service.is_simple(c)],
        },
    )


def _side_by_side(contribution: Contribution) -> list[dict]:
    feature = contribution.feature
    current = feature.properties if feature else {}
    competing = list(contribution.competing.select_related("author"))
    osm_values = reference_values(feature) if feature else {}
    rows = []
    for name, proposed in contribution.changes.items():
        rows.append(
            {
                "field": name,
                "current": current.get(name, ""),
                "base": contribution.previous_values.get(name, ""),
                "proposed": proposed,
                "competing": [
                    {"author": str(other.author), "value": other.changes[name], "id": other.pk}
                    for other in competing
                    if name in other.changes
                ],
                "osm": osm_values.get(name, ""),
            }
        )
    return rows


@login_required
def review_detail(request, pk: int):
    contribution = get_object_or_404(
        Contribution.objects.select_related("dataset", "feature", "author"), pk=pk
    )
    if not contribution.dataset.can_review(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _decide(request, contribution)
    feature = contribution.feature
    stale = []
    if feature and contribution.base_version and contribution.is_pending:
        stale = sorted(
            contribution.touched_fields & changed_since(feature, contribution.base_version)
        )
    positions = {
        "old": feature.geometry if feature else None,
        "new": contribution.geometry,
    }
    return render(
        request,
        "coproduction/review_detail.html",
        {
            "contribution": contribution,
            "feature": feature,
            "rows": _side_by_side(contribution),
            "competing": contribution.competing.select_related("author"),
            "stale": stale,
            "own": contribution.author.user_id == request.user.pk,
            "positions": positions,
            "fields": {f["name"]: f for f in editable_fields(contribution.dataset)},
            "reasons": Contribution._meta.get_field("rejection_reason").choices,
            "next_pk": _next_pending(contribution, request.user),
        },
    )


def _next_pending(contribution: Contribution, user) -> int | None:
    following = (
        Contribution.objects.filter(
            dataset__in=reviewable_datasets(user),
            status=Status.PENDING,
            created_at__gt=contribution.created_at,
        )
        .exclude(author__user=user)
        .order_by("created_at")
        .values_list("pk", flat=True)
        .first()
    )
    return following


def _decide(request, contribution: Contribution):
    action = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if action == "accept":
            changes = None
            if contribution.changes:
                amended = {
                    name: request.POST.get(f"value__{name}", value)
                    for name, value in contribution.changes.items()
                }
                changes = amended if amended != contribution.changes else None
            review_service.accept(
                contribution,
                request.user,
                changes=changes,
                note=note,
                resolve_stale=request.POST.get("resolve_stale") == "on",
            )
            messages.success(request, _("Proposition acceptée."))
        elif action == "reject":
            review_service.reject(
                contribution, request.user, reason=request.POST.get("reason", ""), note=note
            )
            messages.success(request, _("Proposition refusée."))
        elif action == "info":
            review_service.request_information(contribution, request.user, message=note)
            messages.success(request, _("Question envoyée au contributeur."))
        else:
            messages.error(request, _("Décision inconnue."))
            return redirect("coproduction:review-detail", pk=contribution.pk)
    except review_service.StaleProposal as exc:
        messages.error(
            request,
            _(
                "Depuis cette proposition, ces informations ont changé : %(fields)s. Cochez « La "
                "proposition s’applique toujours » pour l’accepter quand même."
            )
            % {"fields": ", ".join(exc.fields)},
        )
        return redirect("coproduction:review-detail", pk=contribution.pk)
    except (review_service.ReviewRefused, ContributionInvalid) as exc:
        text = (
            str(exc)
            if isinstance(exc, review_service.ReviewRefused)
            else "; ".join(m for ms in exc.errors.values() for m in ms)
        )
        messages.error(request, text)
        return redirect("coproduction:review-detail", pk=contribution.pk)
    following = request.POST.get("next")
    if following:
        return redirect("coproduction:review-detail", pk=following)
    return redirect("coproduction:review-queue")


@login_required
@require_POST
def bulk_accept_view(request):
    ids = [int(i) for i in request.POST.getlist("contribution") if i.isdigit()]
    candidates = Contribution.objects.filter(
        pk__in=ids, dataset__in=reviewable_datasets(request.user)
    ).select_related("dataset", "author")
    accepted, skipped = review_service.bulk_accept(candidates, request.user)
    messages.success(request, _("%(count)s proposition(s) acceptée(s).") % {"count": accepted})
    if skipped:
        messages.error(
            request,
            _("Laissées de côté (à relire une par une) : %(list)s") % {"list": ", ".join(skipped)},
        )
    return redirect("coproduction:review-queue")
