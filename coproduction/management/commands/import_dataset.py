from django.core.management.base import BaseCommand, CommandError

from coproduction.importing import sources
from coproduction.importing.errors import ImportFileError
from coproduction.profiles import DatasetProfile, ProfileError, shipped_profiles
from coproduction.services.importer import import_dataset


class Command(BaseCommand):
    help = (
        "Import a portal file (CSV, GeoJSON or a JSON list of records, from a path or a URL) "
        "as the next version of a dataset."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="path or http(s) URL of the file")
        parser.add_argument("--slug", required=True, help="dataset identifier")
        parser.add_argument(
            "--profile",
            help="profile JSON file, or the name of a shipped profile (%s)"
            % ", ".join(shipped_profiles()),
        )
        parser.add_argument("--title", help="dataset title")

    def handle(self, *args, source, slug, profile=None, title=None, **options):
        try:
            parsed_profile = _load_profile(profile) if profile else None
            if source.lower().startswith(("http://", "https://")):
                source_file = sources.from_url(source)
            else:
                source_file = sources.from_path(source)
            report = import_dataset(source_file, slug, profile=parsed_profile, title=title)
        except (ImportFileError, ProfileError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
        for rejected in report.rejected[:50]:
            self.stdout.write(f"  ligne {rejected.row} rejetée : {rejected.reason}")
        if len(report.rejected) > 50:
            self.stdout.write(f"  … et {len(report.rejected) - 50} autre(s) ligne(s) rejetée(s).")


def _load_profile(value: str) -> DatasetProfile:
    shipped = shipped_profiles()
    if value in shipped:
        return DatasetProfile.from_file(shipped[value])
    return DatasetProfile.from_file(value)
