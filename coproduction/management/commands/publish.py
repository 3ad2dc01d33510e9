from django.core.management.base import BaseCommand, CommandError

from coproduction.models import Dataset
from coproduction.services.releases import NonConforming, NothingToPublish, publish


class Command(BaseCommand):
    help = "Publish a release of a dataset's current accepted state (what the publish button does)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--note", default="", help="release note")
        parser.add_argument(
            "--allow-nonconforming",
            action="store_true",
            help="publish even if the schema CSV does not conform (an explicit decision)",
        )
        parser.add_argument(
            "--include-osm-values",
            action="store_true",
            help="keep values copied from OpenStreetMap (ODbL) in a non-ODbL release",
        )

    def handle(self, *args, slug, note, allow_nonconforming, include_osm_values, **options):
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None:
            raise CommandError(f"Jeu de données inconnu : {slug}")
        try:
            release = publish(
                dataset,
                note=note,
                allow_nonconforming=allow_nonconforming,
                include_osm_values=include_osm_values,
            )
        except NonConforming as exc:
            for error in exc.errors[:20]:
                self.stderr.write(f"  ligne {error.row}, {error.field} : {error.message}")
            raise CommandError(
                f"{len(exc.errors)} erreur(s) de conformité au schéma : rien n’a été publié "
                "(--allow-nonconforming pour publier quand même)."
            ) from exc
        except NothingToPublish as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{dataset.slug} : version {release.number} publiée "
                f"({release.feature_count} lieux, "
                f"{release.changelog['contributions']} contribution(s))."
            )
        )
