from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OsmSyncConfig(AppConfig):
    name = "osm_sync"
    verbose_name = _("Rapprochement avec OpenStreetMap")
