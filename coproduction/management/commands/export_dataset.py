import sys

from django.core.management.base import BaseCommand, CommandError

from coproduction.models import Dataset
from coproduction.services.exporter import EXPORT_FORMATS, WRITERS


class Command(BaseCommand):
    help = "Write the current state of a dataset as CSV (its own column layout) or GeoJSON."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", required=True, choices=EXPORT_FORMATS)
        parser.add_argument("--output", required=True, help="file path, or - for stdout")

    def handle(self, *args, slug, format, output, **options):
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None or dataset.current_version is None:
            raise CommandError(f"Jeu de données inconnu : {slug}")
        writer = WRITERS[format]
        if output == "-":
            count = writer(dataset, sys.stdout)
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as stream:
                    count = writer(dataset, stream)
            except OSError as exc:
                raise CommandError(f"Impossible d’écrire {output} : {exc}") from exc
            self.stdout.write(self.style.SUCCESS(f"{count} objet(s) écrit(s) dans {output}"))
