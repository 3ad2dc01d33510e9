from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coproduction.models import Dataset
from osm_sync.matching.config import MatchConfigError
from osm_sync.services.reconciliation import ReconciliationError, reconcile_dataset
from osm_sync.tag_filters import FilterError


class Command(BaseCommand):
    help = (
        "Match a dataset against the current OSM snapshot and write the report "
        "(GeoJSON FeatureCollection: matched, ambiguous, missing_in_osm, missing_in_dataset)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="dataset identifier")
        parser.add_argument("--output", help="path of the GeoJSON report to write")

    def handle(self, *args, slug, output=None, **options):
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None:
            raise CommandError(_("Jeu de données introuvable : « %(slug)s ».") % {"slug": slug})
        try:
            report = reconcile_dataset(dataset, Path(output) if output else None)
        except (ReconciliationError, MatchConfigError, FilterError) as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(
                _("Impossible d’écrire le rapport « %(path)s » : %(error)s")
                % {"path": output, "error": exc.strerror}
            ) from exc
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(report.summary()))
