"""Where portals find the catalog: include these at the site's root."""

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("catalog.ttl", views.catalog_ttl, name="catalog-ttl"),
    path("catalog.jsonld", views.catalog_jsonld, name="catalog-jsonld"),
]
