from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OsmSyncConfig(AppConfig):
    name = "osm_sync"
    verbose_name = _("Rapprochement avec OpenStreetMap")

    def ready(self) -> None:
        from coproduction.guided import register_task_source
        from coproduction.policies import register_reference_values

        from .guided_questions import osm_difference_task
        from .views import osm_values_for

        register_task_source(osm_difference_task)
        register_reference_values(osm_values_for)
