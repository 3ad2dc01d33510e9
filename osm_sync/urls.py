from django.urls import path

from . import views

app_name = "osm_sync"

urlpatterns = [
    path("api/datasets/<slug:slug>/osm/", views.dataset_reconciliation, name="api-dataset"),
    path(
        "api/datasets/<slug:slug>/features/<int:pk>/osm/",
        views.feature_reconciliation,
        name="api-feature",
    ),
]
