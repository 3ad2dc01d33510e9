from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coproduction.models import Dataset
from osm_sync.services.decisions import DecisionError, record_decision


class Command(BaseCommand):
    help = (
        "Record a decision on a match (confirm, reject, or choose a candidate); the next "
        "reconcile of the dataset applies it."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="dataset identifier")
        parser.add_argument("feature", help="the feature's key (the report's `id`)")
        parser.add_argument("osm", help="the OSM object, e.g. node/123")
        parser.add_argument("action", choices=["confirm", "reject", "choose"])
        parser.add_argument("--note", default="")

    def handle(self, *args, slug, feature, osm, action, note, **options):
        dataset = Dataset.objects.filter(slug=slug).first()
        if dataset is None:
            raise CommandError(_("Jeu de données introuvable : « %(slug)s ».") % {"slug": slug})
        try:
            record_decision(dataset, feature, osm, action, note=note)
        except DecisionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Décision enregistrée : elle s’appliquera au prochain rapprochement.")
            )
        )
