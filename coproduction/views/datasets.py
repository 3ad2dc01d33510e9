"""Pages for looking at datasets: list, map, accessible table, a feature, history, downloads."""

from __future__ import annotations

import io

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ..attributes import in_source_order
from ..authors import contributor_for_request
from ..models import Dataset, Feature
from ..quality import ISSUE_LABELS
from ..services.exporter import CONTENT_TYPES, WRITERS
from ..services.feature_rows import normalise_search
from .client_strings import contribution_context

TABLE_PAGE_SIZE = 50
TABLE_EXTRA_COLUMNS = 4


def _dataset(slug: str) -> Dataset:
    return get_object_or_404(Dataset.objects.select_related("current_version"), slug=slug)


def dataset_list(request):
    datasets = Dataset.objects.select_related("current_version").order_by("title")
    return render(
        request,
        "coproduction/dataset_list.html",
        {
            "datasets": datasets,
            "can_create": Dataset.can_create(request.user),
        },
    )


def dataset_map(request, slug: str):
    dataset = _dataset(slug)
    return render(
        request,
        "coproduction/dataset_map.html",
        {
            "dataset": dataset,
            "can_import": dataset.can_import(request.user),
            "contribution_context": contribution_context(
                request, dataset, contributor_for_request(request)
            ),
            "map_strings": {
                "loading": _("Chargement des lieux…"),
                "loaded": _("%(count)s lieux affichés dans cette zone."),
                "truncated": _(
                    "Zone trop dense : %(count)s lieux affichés, zoomez pour voir les autres."
                ),
                "error": _(
                    "Les lieux n’ont pas pu être chargés. Vérifiez la connexion, "
                    "la carte réessaiera au prochain déplacement."
                ),
                "issues": _("Problèmes à corriger"),
                "noIssues": _("Aucun problème détecté."),
                "attributes": _("Informations"),
                "details": _("Fiche complète du lieu"),
                "close": _("Fermer"),
                "unnamed": _("Lieu sans nom"),
                "issueCount": _("%(count)s problème(s)"),
                "osmSummary": _(
                    "Rapprochement OpenStreetMap : %(matched)s rapproché(s), %(ambiguous)s "
                    "ambigu(s), %(missing_in_osm)s absent(s) d’OpenStreetMap, "
                    "%(missing_in_dataset)s objet(s) OpenStreetMap absent(s) du jeu de données."
                ),
                "osmTitle": _("OpenStreetMap"),
                "osmLink": _("Voir l’objet sur OpenStreetMap (nouvel onglet)"),
                "osmDifferences": _("Le portail et OpenStreetMap ne disent pas la même chose"),
                "osmField": _("Information"),
                "osmPortal": _("Portail"),
            },
        },
    )


def _table_columns(dataset: Dataset) -> list[tuple[str, str]]:
    """The columns worth a place in the table: the profile's declared fields first."""
    profile = dataset.parsed_profile
    # In the file's column order: a JSON column (jsonb) does not keep the profile's key order.
    columns = [
        (name, profile.fields[name].label or name)
        for name in dataset.columns
        if name in profile.fields and name != profile.name_field
    ]
    return columns[:TABLE_EXTRA_COLUMNS]


def dataset_table(request, slug: str):
    dataset = _dataset(slug)
    features = Feature.objects.filter(dataset=dataset, is_removed=False).order_by(
        "row_number", "id"
    )
    query = request.GET.get("q", "").strip()[:200]
    problem = request.GET.get("probleme", "")
    state = request.GET.get("etat", "")
    if query:
        for word in normalise_search(query).split():
            features = features.filter(search_text__contains=word)
    if problem in ISSUE_LABELS:
        features = features.filter(issue_codes__contains=f" {problem} ")
    if state == "a-corriger":
        features = features.filter(issue_count__gt=0)
    elif state == "sans-probleme":
        features = features.filter(issue_count=0)
    page = Paginator(
        features.only(
            "id", "name", "key", "properties", "quality_issues", "lat", "lon", "row_number"
        ),
        TABLE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    columns = _table_columns(dataset)
    rows = [
        {"feature": f, "values": [f.properties.get(name, "") for name, _label in columns]}
        for f in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "coproduction/dataset_table.html",
        {
            "dataset": dataset,
            "page": page,
            "rows": rows,
            "columns": columns,
            "query": query,
            "problem": problem,
            "state": state,
            "problem_choices": sorted(ISSUE_LABELS.items(), key=lambda item: str(item[1])),
            "filters_query": params.urlencode(),
            "filtered": bool(query or problem or state),
        },
    )


def feature_detail(request, slug: str, pk: int):
    dataset = _dataset(slug)
    feature = get_object_or_404(Feature, dataset=dataset, pk=pk)
    return render(
        request,
        "coproduction/feature_detail.html",
        {
            "dataset": dataset,
            "feature": feature,
            "attributes": list(in_source_order(feature.properties, dataset.columns).items()),
            "contribution_context": contribution_context(
                request, dataset, contributor_for_request(request)
            ),
            "issues": feature.issue_labels(),
            "history": feature.versions.select_related("dataset_version").order_by("-number"),
        },
    )


def dataset_history(request, slug: str):
    dataset = _dataset(slug)
    return render(
        request,
        "coproduction/dataset_history.html",
        {
            "dataset": dataset,
            "versions": dataset.versions.select_related("created_by").order_by("-number"),
            "can_import": dataset.can_import(request.user),
        },
    )


def dataset_export(request, slug: str, fmt: str):
    dataset = _dataset(slug)
    if fmt not in WRITERS or dataset.current_version is None:
        raise Http404
    buffer = io.StringIO()
    WRITERS[fmt](dataset, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{dataset.slug}.{fmt}"'
    return response
