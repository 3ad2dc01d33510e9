"""What the map shows of the reconciliation: each feature's status and, for one feature, the
dataset value and the OpenStreetMap value side by side."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from coproduction.models import Dataset, Feature

from .models import Match, OsmObject, Reconciliation
from .models.reconciliation import MatchStatus

OSM_BROWSE_URL = "https://www.openstreetmap.org/{ref}"


def latest_reconciliation(dataset: Dataset) -> Reconciliation | None:
    return Reconciliation.objects.filter(dataset=dataset).order_by("-created_at", "-pk").first()


def osm_link(ref: str | None) -> str | None:
    return OSM_BROWSE_URL.format(ref=ref) if ref else None


@require_GET
def dataset_reconciliation(request, slug: str):
    """Statuses by feature id, and the OSM objects missing from the dataset (as points)."""
    dataset = get_object_or_404(Dataset, slug=slug)
    run = latest_reconciliation(dataset)
    if run is None:
        return JsonResponse({"reconciliation": None, "statuses": {}, "osm_only": []})
    ids = dict(Feature.objects.filter(dataset=dataset).values_list("key", "id"))
    statuses = {}
    osm_only_refs = []
    for key, ref, status in run.matches.values_list("feature_key", "osm_ref", "status"):
        if key is not None and key in ids:
            statuses[ids[key]] = {"status": status, "osm": ref}
        elif status == MatchStatus.MISSING_IN_DATASET and ref:
            osm_only_refs.append(ref)
    osm_only = []
    if osm_only_refs and run.snapshot_id:
        wanted = {tuple(ref.split("/")) for ref in osm_only_refs}
        objects = OsmObject.objects.filter(
            snapshot_id=run.snapshot_id, osm_id__in=[int(i) for _t, i in wanted]
        ).values_list("osm_type", "osm_id", "lon", "lat", "tags")
        for osm_type, osm_id, lon, lat, tags in objects:
            if (osm_type, str(osm_id)) in wanted:
                osm_only.append(
                    {
                        "osm": f"{osm_type}/{osm_id}",
                        "lon": lon,
                        "lat": lat,
                        "name": (tags or {}).get("name", ""),
                        "url": osm_link(f"{osm_type}/{osm_id}"),
                    }
                )
    return JsonResponse(
        {
            "reconciliation": {"created_at": run.created_at.isoformat(), "counts": run.counts},
            "statuses": statuses,
            "osm_only": osm_only,
        }
    )


@require_GET
def feature_reconciliation(request, slug: str, pk: int):
    dataset = get_object_or_404(Dataset, slug=slug)
    feature = get_object_or_404(Feature, dataset=dataset, pk=pk)
    run = latest_reconciliation(dataset)
    match = run.matches.filter(feature_key=feature.key).first() if run else None
    if match is None:
        return JsonResponse({"status": None})
    return JsonResponse(
        {
            "status": match.status,
            "status_label": str(MatchStatus(match.status).label),
            "osm": match.osm_ref,
            "url": osm_link(match.osm_ref),
            "candidates": [{"osm": ref, "url": osm_link(ref)} for ref in match.candidates],
            "score": match.score,
            "distance_m": match.distance_m,
            "reasons": match.reasons,
            "differences": match.differences,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def latest_match(dataset: Dataset, feature: Feature) -> Match | None:
    run = latest_reconciliation(dataset)
    return run.matches.filter(feature_key=feature.key).first() if run else None


def osm_values_for(feature: Feature) -> dict:
    """The OSM values of a matched feature's mapped fields, for the review's comparison."""
    match = latest_match(feature.dataset, feature)
    if match is None or match.status != MatchStatus.MATCHED or not match.osm_ref:
        return {}
    osm_type, osm_id = match.osm_ref.split("/")
    osm_object = OsmObject.objects.filter(
        snapshot_id=match.reconciliation.snapshot_id, osm_type=osm_type, osm_id=int(osm_id)
    ).first()
    if osm_object is None:
        return {}
    tags = osm_object.tags or {}
    mapping = (feature.dataset.parsed_profile.osm or {}).get("tags", {})
    return {field: tags[tag] for field, tag in mapping.items() if tag in tags}
