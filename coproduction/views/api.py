"""JSON endpoints behind the map: features of the visible area, and one feature in full."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import api_view, permission_classes, renderer_classes
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer

from ..api_helpers import parse_bbox_text as parse_bbox
from ..attributes import in_source_order
from ..models import Dataset, Feature
from ..services.contribution_rules import editable_fields


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@extend_schema(
    parameters=[
        OpenApiParameter("bbox", str, description="west,south,east,north in WGS84 degrees"),
        OpenApiParameter("issues", str, enum=["1"], description="only features with problems"),
    ],
    responses={(200, "application/geo+json"): OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
)
@api_view(["GET"])
@permission_classes([AllowAny])
@renderer_classes([GeoJSONRenderer, JSONRenderer])
def features_in_view(request, slug: str):
    """Features whose bounding box meets `bbox`, as light GeoJSON points (a marker each).

    The whole attributes of a feature come from `feature_detail`, when someone opens it, so
    that a dense viewport stays small and fast.
    """
    dataset = get_object_or_404(Dataset, slug=slug)
    features = Feature.objects.filter(dataset=dataset, is_removed=False)
    bbox_value = request.GET.get("bbox")
    if bbox_value:
        try:
            west, south, east, north = parse_bbox(bbox_value)
        except ValueError as exc:
            return _error(str(exc))
        features = features.filter(
            min_lon__lte=east,
            min_lon__gte=west - dataset.max_feature_span,
            max_lon__gte=west,
            min_lat__lte=north,
            max_lat__gte=south,
        )
    if request.GET.get("issues") == "1":
        features = features.filter(issue_count__gt=0)
    limit = settings.MAP_MAX_FEATURES_PER_REQUEST
    rows = list(
        features.order_by().values_list("id", "name", "lon", "lat", "issue_count")[: limit + 1]
    )
    truncated = len(rows) > limit
    body = {
        "type": "FeatureCollection",
        "truncated": truncated,
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "issues": issues},
            }
            for pk, name, lon, lat, issues in rows[:limit]
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json",
    )


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@permission_classes([AllowAny])
def feature_detail(request, slug: str, pk: int):
    dataset = get_object_or_404(Dataset.objects.select_related("current_version"), slug=slug)
    feature = get_object_or_404(Feature, dataset=dataset, pk=pk)
    properties = in_source_order(feature.properties, dataset.columns)
    return JsonResponse(
        {
            "type": "Feature",
            "id": feature.pk,
            "geometry": feature.geometry,
            "properties": properties,
            "meta": {
                "key": feature.key,
                "name": feature.name,
                "version": feature.version,
                "removed": feature.is_removed,
                "columns": list(properties),
                "fields": editable_fields(dataset),
                "point": [feature.lon, feature.lat],
                "issues": feature.issue_labels(),
                "url": reverse("coproduction:feature-detail", args=[dataset.slug, feature.pk]),
            },
        },
        json_dumps_params={"ensure_ascii": False},
    )
