import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coproduction.models import Dataset
from coproduction.services.exporter import EXPORT_FORMATS, WRITERS
from osm_sync.export import ExportRefused, build_export, report_lines, write_josm, write_osmchange

# Accepted contributions for OpenStreetMap mappers: osmChange, or a file JOSM opens.
OSM_WRITERS = {"osc": write_osmchange, "josm": write_josm}
OSM_FORMAT_NAMES = {"osc": "osmChange", "josm": "JOSM"}


class Command(BaseCommand):
    help = (
        "Write the current state of a dataset as CSV (its own column layout) or GeoJSON, or its "
        "accepted contributions for OpenStreetMap mappers as osmChange (osc) or a JOSM file."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--format", required=True, choices=(*EXPORT_FORMATS, *OSM_WRITERS))
        parser.add_argument("--output", required=True, help="file path, or - for stdout")

    def handle(self, *args, slug, format, output, **options):
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None or dataset.current_version is None:
            raise CommandError(f"Jeu de données inconnu : {slug}")
        if format in OSM_WRITERS:
            self._export_for_osm(dataset, format, output)
            return
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

    def _export_for_osm(self, dataset: Dataset, format: str, output: str) -> None:
        """The export is built before the file is opened, so that a refusal leaves no empty
        file behind; with `-` the file goes to stdout and the report to stderr."""
        try:
            export = build_export(dataset)
        except ExportRefused as exc:
            raise CommandError(str(exc)) from exc
        writer = OSM_WRITERS[format]
        if output == "-":
            writer(export, sys.stdout)
            report, where = self.stderr, _("la sortie standard")
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="\n") as stream:
                    writer(export, stream)
            except OSError as exc:
                raise CommandError(
                    _("Impossible d’écrire %(path)s : %(error)s")
                    % {"path": output, "error": exc.strerror or exc}
                ) from exc
            report, where = self.stdout, output
        report.write(
            self.style.SUCCESS(
                _("Fichier %(format)s écrit dans %(path)s.")
                % {"format": OSM_FORMAT_NAMES[format], "path": where}
            )
        )
        for line in report_lines(export):
            report.write(line)
