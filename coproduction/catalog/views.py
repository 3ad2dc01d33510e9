"""The catalog as documents a harvester fetches: Turtle and JSON-LD, public, cached for a minute
(harvesters poll; building the graph queries every published dataset)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe

from .dcat import build_catalog
from .vocabularies import JSONLD_CONTEXT

CACHE_SECONDS = 60


@require_safe
@cache_page(CACHE_SECONDS)
def catalog_ttl(request: HttpRequest) -> HttpResponse:
    turtle = build_catalog(settings.SITE_URL).serialize(format="turtle")
    return HttpResponse(turtle, content_type="text/turtle; charset=utf-8")


@require_safe
@cache_page(CACHE_SECONDS)
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    jsonld = build_catalog(settings.SITE_URL).serialize(
        format="json-ld", context=JSONLD_CONTEXT, auto_compact=True
    )
    return HttpResponse(jsonld, content_type="application/ld+json")
