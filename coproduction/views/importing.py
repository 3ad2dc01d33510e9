"""The import page: a data owner brings a file or a URL in, as a new dataset or a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from ..forms import ImportForm
from ..importing import sources
from ..importing.errors import ImportFileError
from ..models import Dataset
from ..services.importer import import_dataset


def _run_import(request, form: ImportForm, dataset: Dataset | None):
    data = form.cleaned_data
    try:
        source = (
            sources.from_upload(data["file"]) if data.get("file") else sources.from_url(data["url"])
        )
        report = import_dataset(
            source,
            data["slug"],
            profile=data["profile"],
            title=data.get("title") or None,
            user=request.user,
        )
    except ImportFileError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, report.summary())
    return report


@login_required
def import_new(request):
    if not Dataset.can_create(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = _run_import(request, form, None)
        if report:
            return redirect("coproduction:dataset-history", slug=report.dataset.slug)
    return render(request, "coproduction/dataset_import.html", {"form": form, "dataset": None})


@login_required
def import_version(request, slug: str):
    dataset = get_object_or_404(Dataset, slug=slug)
    if not dataset.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, dataset=dataset)
    if request.method == "POST" and form.is_valid():
        report = _run_import(request, form, dataset)
        if report:
            return redirect("coproduction:dataset-history", slug=dataset.slug)
    return render(request, "coproduction/dataset_import.html", {"form": form, "dataset": dataset})
