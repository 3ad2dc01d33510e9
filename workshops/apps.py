from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    name = "workshops"
    verbose_name = _("Ateliers")

    def ready(self) -> None:
        from coproduction.policies import (
            register_author_check,
            register_created_hook,
            register_demo_loader,
        )

        from .policy import check_participant, record_workshop_contribution
        from .services.demo import load_demo_workshop

        register_author_check(check_participant)
        register_created_hook(record_workshop_contribution)
        register_demo_loader(load_demo_workshop)
