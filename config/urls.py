from django.contrib import admin
from django.urls import include, path

import coproduction.admin  # noqa: F401  (registers the models; admin autodiscovery is off)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("coproduction.urls")),
]
