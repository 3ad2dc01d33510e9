from django.core.management.base import BaseCommand

from coproduction.services.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the bundled demonstration datasets (real portal files) and a demo data owner."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="re-import the files even when the datasets already exist (adds a version)",
        )

    def handle(self, *args, force=False, **options):
        for line in load_demo(force=force):
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                "Compte de démonstration (propriétaire de données) : "
                f"{DEMO_EMAIL} / {DEMO_PASSWORD}"
            )
        )
