from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .api import views as contribution_api
from .views import api, contributions, datasets, importing, releases, review

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
    path("donnees/<slug:slug>/ajouter/", contributions.add_place, name="add-place"),
    path("donnees/<slug:slug>/taches/", contributions.guided_tasks, name="guided-tasks"),
    path("mes-contributions/", contributions.my_contributions, name="my-contributions"),
    path("relecture/", review.review_queue, name="review-queue"),
    path("relecture/<int:pk>/", review.review_detail, name="review-detail"),
    path("relecture/en-lot/", review.bulk_accept_view, name="review-bulk"),
    path("donnees/<slug:slug>/publier/", releases.publish_page, name="publish"),
    path("donnees/<slug:slug>/publications/", releases.release_list, name="release-list"),
    path(
        "donnees/<slug:slug>/publications/<int:number>/envoyer/",
        releases.push_to_portals,
        name="release-push",
    ),
    path(
        "donnees/<slug:slug>/envois/<int:job_pk>/relancer/",
        releases.retry_push,
        name="release-push-retry",
    ),
    path(
        "donnees/<slug:slug>/publications/derniere/<str:kind>",
        releases.latest_release_file,
        name="release-latest-file",
    ),
    path(
        "donnees/<slug:slug>/publications/<int:number>/<str:kind>",
        releases.release_file,
        name="release-file",
    ),
    path(
        "contributions/<int:pk>/photo/",
        contributions.contribution_photo,
        name="contribution-photo",
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/datasets/<slug:slug>/features/", api.features_in_view, name="api-features"),
    path("api/datasets/<slug:slug>/features/<int:pk>/", api.feature_detail, name="api-feature"),
    path(
        "api/contributions/",
        contribution_api.ContributionListCreate.as_view(),
        name="api-contributions",
    ),
    path(
        "api/contributions/<int:pk>/",
        contribution_api.ContributionDetail.as_view(),
        name="api-contribution",
    ),
    path(
        "api/contributions/<int:pk>/withdraw/",
        contribution_api.withdraw,
        name="api-contribution-withdraw",
    ),
    path(
        "api/contributions/<int:pk>/photo/",
        contribution_api.attach_photo,
        name="api-contribution-photo",
    ),
    path("api/validate/", contribution_api.validate, name="api-validate"),
]
