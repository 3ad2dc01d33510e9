from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

import coproduction.admin  # noqa: F401  (registers the models; admin autodiscovery is off)

urlpatterns = [
    # Browsers ask for /favicon.ico on pages without HTML (JSON, files).
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("img/favicon.svg"), permanent=True),
    ),
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("workshops.urls")),
    path("", include("osm_sync.urls")),
    path("", include("coproduction.catalog.urls")),
    path("", include("coproduction.urls")),
]
