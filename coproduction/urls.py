from django.urls import path

from .views import api, datasets, importing

app_name = "coproduction"

urlpatterns = [
    path("", datasets.dataset_list, name="dataset-list"),
    path("donnees/importer/", importing.import_new, name="dataset-import"),
    path("donnees/<slug:slug>/", datasets.dataset_map, name="dataset-map"),
    path("donnees/<slug:slug>/liste/", datasets.dataset_table, name="dataset-table"),
    path("donnees/<slug:slug>/historique/", datasets.dataset_history, name="dataset-history"),
    path("donnees/<slug:slug>/importer/", importing.import_version, name="dataset-reimport"),
    path("donnees/<slug:slug>/export.<str:fmt>", datasets.dataset_export, name="dataset-export"),
    path("donnees/<slug:slug>/lieux/<int:pk>/", datasets.feature_detail, name="feature-detail"),
    path("api/datasets/<slug:slug>/features/", api.features_in_view, name="api-features"),
    path("api/datasets/<slug:slug>/features/<int:pk>/", api.feature_detail, name="api-feature"),
]
