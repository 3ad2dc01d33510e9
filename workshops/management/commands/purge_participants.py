from django.conf import settings
from django.core.management.base import BaseCommand

from workshops.services.participation import purge_expired_identities


class Command(BaseCommand):
    help = (
        "Erase the pseudonyms of participants whose workshop closed more than "
        "CARTE_PARTICIPANT_RETENTION_DAYS ago (run it daily, e.g. from cron)."
    )

    def handle(self, *args, **options):
        count = purge_expired_identities()
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} identité(s) effacée(s) (conservation : "
                f"{settings.WORKSHOP_PARTICIPANT_RETENTION_DAYS} jours)."
            )
        )
