"""Publishing: the publish page, the releases, and stable URLs for their files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..connectors.jobs import push_release, retry_failed_pushes
from ..models import Dataset, PushJob, Release
from ..services import releases

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "schema.csv": "text/csv; charset=utf-8",
}


def _serve(release: Release, kind: str, filename: str) -> FileResponse:
    files = release.files()
    if kind not in files:
        raise Http404
    response = FileResponse(files[kind].open("rb"), content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = f'"{release.sha256.get(kind, "")}"'
    response["X-Release-Version"] = str(release.number)
    return response


def release_file(request, slug: str, number: int, kind: str):
    release = get_object_or_404(Release, dataset__slug=slug, number=number)
    response = _serve(release, kind, _filename(slug, kind, number))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def latest_release_file(request, slug: str, kind: str):
    """The URL a portal re-syncs from: its name never changes, its content follows releases."""
    release = Release.objects.filter(dataset__slug=slug).order_by("-number").first()
    if release is None:
        raise Http404
    response = _serve(release, kind, _filename(slug, kind))
    response["Cache-Control"] = "public, max-age=300"
    return response


def _filename(slug: str, kind: str, number: int | None = None) -> str:
    suffix = f"-v{number}" if number else ""
    if kind == "schema.csv":
        return f"{slug}{suffix}-schema.csv"
    return f"{slug}{suffix}.{kind}"


def release_list(request, slug: str):
    dataset = get_object_or_404(Dataset, slug=slug)
    return render(
        request,
        "coproduction/release_list.html",
        {
            "dataset": dataset,
            "releases": dataset.releases.select_related("created_by").prefetch_related(
                "push_jobs__target"
            ),
            "has_targets": dataset.portal_targets.filter(enabled=True).exists(),
            "can_publish": dataset.can_publish(request.user),
            "kinds": ["csv", "geojson", "schema.csv"],
        },
    )


@login_required
def publish_page(request, slug: str):
    dataset = get_object_or_404(Dataset.objects.select_related("current_version"), slug=slug)
    if not dataset.can_publish(request.user):
        raise PermissionDenied
    include_osm = request.POST.get("include_osm_values") == "on"
    if request.method == "POST":
        try:
            release = releases.publish(
                dataset,
                user=request.user,
                note=request.POST.get("note", ""),
                allow_nonconforming=request.POST.get("allow_nonconforming") == "on",
                include_osm_values=include_osm,
            )
        except releases.NonConforming:
            messages.error(
                request,
                _(
                    "Le fichier au format du schéma n’est pas conforme : corrigez les erreurs, ou "
                    "cochez « Publier quand même » en connaissance de cause."
                ),
            )
        except releases.NothingToPublish as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Version %(number)s publiée.") % {"number": release.number})
            return redirect("coproduction:release-list", slug=slug)
    preview = releases.preview(dataset, include_osm_values=include_osm)
    return render(
        request,
        "coproduction/publish.html",
        {
            "dataset": dataset,
            "preview": preview,
            "errors": preview.schema_errors[:200],
        },
    )


@login_required
@require_POST
def push_to_portals(request, slug: str, number: int):
    release = get_object_or_404(
        Release.objects.select_related("dataset"), dataset__slug=slug, number=number
    )
    if not release.dataset.can_publish(request.user):
        raise PermissionDenied
    jobs = push_release(release)
    if jobs:
        messages.success(
            request, _("Envoi vers %(count)s portail(s) lancé.") % {"count": len(jobs)}
        )
    else:
        messages.error(request, _("Aucun portail n’est configuré pour ce jeu de données."))
    return redirect("coproduction:release-list", slug=slug)


@login_required
@require_POST
def retry_push(request, slug: str, job_pk: int):
    job = get_object_or_404(
        PushJob.objects.select_related("release__dataset"), pk=job_pk, release__dataset__slug=slug
    )
    if not job.release.dataset.can_publish(request.user):
        raise PermissionDenied
    retry_failed_pushes(PushJob.objects.filter(pk=job.pk))
    messages.success(request, _("Nouvel envoi lancé."))
    return redirect("coproduction:release-list", slug=slug)
