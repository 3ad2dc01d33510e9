"""Pages for contributors: guided tasks, adding a missing place, their own contributions."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ..authors import contributor_for_request
from ..guided import next_task
from ..models import Contribution, Dataset
from ..services.contribution_rules import ContributionInvalid, editable_fields
from ..services.contributions import (
    ContributionForbidden,
    edit_contribution,
    withdraw_contribution,
)
from .client_strings import contribution_context

SKIPPED_SESSION_KEY = "skipped_tasks"


def _login_url(request) -> str:
    return f"{reverse('account_login')}?next={request.get_full_path()}"


def guided_tasks(request, slug: str):
    dataset = get_object_or_404(Dataset.objects.select_related("current_version"), slug=slug)
    contributor = contributor_for_request(request)
    skipped = {tuple(item) for item in request.session.get(SKIPPED_SESSION_KEY, {}).get(slug, [])}
    if request.method == "POST" and "skip_feature" in request.POST:
        try:
            item = [int(request.POST["skip_feature"]), request.POST.get("skip_field", "")]
        except ValueError:
            item = None
        if item:
            store = request.session.get(SKIPPED_SESSION_KEY, {})
            store.setdefault(slug, []).append(item)
            request.session[SKIPPED_SESSION_KEY] = store
        return redirect("coproduction:guided-tasks", slug=slug)
    proposed: set[tuple[int, str]] = set()
    if contributor:
        for feature_id, changes in Contribution.objects.filter(
            dataset=dataset,
            author=contributor,
            status=Contribution.Status.PENDING,
            feature__isnull=False,
        ).values_list("feature_id", "changes"):
            proposed.update((feature_id, name) for name in changes)
    task = next_task(dataset, skipped, proposed)
    return render(
        request,
        "coproduction/guided_tasks.html",
        {
            "dataset": dataset,
            "task": task,
            "contributor": contributor,
            "login_url": _login_url(request),
            "skipped_count": len(skipped),
            "contribution_context": contribution_context(request, dataset, contributor),
        },
    )


def add_place(request, slug: str):
    dataset = get_object_or_404(Dataset.objects.select_related("current_version"), slug=slug)
    contributor = contributor_for_request(request)
    name_field = dataset.parsed_profile.name_field
    fields = editable_fields(dataset)
    # The name first: it is what people know of a place, and it is required.
    fields.sort(key=lambda spec: spec["name"] != name_field)
    for spec in fields:
        spec["required"] = spec["required"] or spec["name"] == name_field
    try:
        lat = float(request.GET.get("lat", ""))
        lon = float(request.GET.get("lon", ""))
    except ValueError:
        bbox = dataset.bbox or [4.2, 42.9, 7.8, 45.2]
        lon, lat = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    return render(
        request,
        "coproduction/add_place.html",
        {
            "dataset": dataset,
            "fields": fields,
            "lat": round(lat, 6),
            "lon": round(lon, 6),
            "contributor": contributor,
            "login_url": _login_url(request),
            "contribution_context": contribution_context(request, dataset, contributor),
        },
    )


def my_contributions(request):
    contributor = contributor_for_request(request)
    if contributor is None:
        return redirect(_login_url(request))
    if request.method == "POST":
        return _act_on_contribution(request, contributor)
    contributions = (
        Contribution.objects.filter(author=contributor)
        .select_related("dataset", "feature")
        .prefetch_related("competing")
        .order_by("-created_at")
    )
    return render(
        request,
        "coproduction/my_contributions.html",
        {
            "contributions": contributions,
            "contributor": contributor,
        },
    )


def _act_on_contribution(request, contributor):
    contribution = get_object_or_404(Contribution, pk=request.POST.get("contribution"))
    action = request.POST.get("action")
    try:
        if action == "withdraw":
            withdraw_contribution(contribution, contributor)
            messages.success(request, _("Proposition retirée."))
        elif action == "edit":
            changes = {
                key.removeprefix("change__"): value
                for key, value in request.POST.items()
                if key.startswith("change__")
            }
            edit_contribution(
                contribution,
                contributor,
                comment=request.POST.get("comment", contribution.comment),
                changes=changes or None,
            )
            messages.success(request, _("Proposition modifiée."))
    except ContributionForbidden as exc:
        messages.error(request, str(exc))
    except ContributionInvalid as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                messages.error(request, f"{field.removeprefix('changes.')} : {error}")
    return redirect("coproduction:my-contributions")


def contribution_photo(request, pk: int):
    contribution = get_object_or_404(Contribution.objects.select_related("dataset"), pk=pk)
    contributor = contributor_for_request(request)
    if not contribution.photo or not contribution.can_view(contributor, request.user):
        raise Http404
    response = FileResponse(contribution.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    return response
