from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from osm_sync.reading.formats import OsmFileError
from osm_sync.services.change_applier import apply_changes


class Command(BaseCommand):
    help = (
        "Bring the current OSM snapshot forward with an osmChange file (.osc, .osc.gz, "
        ".osc.bz2): creations, modifications and deletions of the objects it concerns."
    )

    def add_arguments(self, parser):
        parser.add_argument("changes", help="path of the osmChange file")

    def handle(self, *args, changes, **options):
        try:
            report = apply_changes(Path(changes))
        except OsmFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
