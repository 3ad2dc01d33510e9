from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OsmSyncConfig(AppConfig):
    name = "osm_sync"
    verbose_name = _("Rapprochement avec OpenStreetMap")

    def ready(self) -> None:
        from coproduction.guided import register_task_source

        from .guided_questions import osm_difference_task

        register_task_source(osm_difference_task)
