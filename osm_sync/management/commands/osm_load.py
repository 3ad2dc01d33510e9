from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from osm_sync.reading.formats import OsmFileError
from osm_sync.services.snapshot_loader import load_snapshot
from osm_sync.tag_filters import FilterError


class Command(BaseCommand):
    help = (
        "Load an OSM extract (.osm.pbf, .osm, .osm.bz2, .osm.gz) as the current snapshot, "
        "keeping the objects that match some dataset profile's osm.filters."
    )

    def add_arguments(self, parser):
        parser.add_argument("extract", help="path of the extract")

    def handle(self, *args, extract, **options):
        try:
            report = load_snapshot(Path(extract))
        except (OsmFileError, FilterError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
