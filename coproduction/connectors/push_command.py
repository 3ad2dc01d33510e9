"""`manage.py push_releases`: send releases to their portals from the command line or a
scheduled job, e.g. `push_releases --retry-failed` every hour after a portal outage.

Lives here, next to the services it drives; `coproduction/management/commands/push_releases.py`
only re-exports it.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ..models import Dataset, PushJob
from .jobs import push_release, retry_failed_pushes


class Command(BaseCommand):
    help = (
        "Send the latest release of each dataset SLUG to its portals, or, with --retry-failed, "
        "send again the pushes that failed (of these datasets, or of all)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="SLUG")
        parser.add_argument("--retry-failed", action="store_true")

    def handle(self, *args, slugs: list[str], retry_failed: bool, **options):
        datasets = list(Dataset.objects.filter(slug__in=slugs))
        unknown = set(slugs) - {d.slug for d in datasets}
        if unknown:
            raise CommandError(f"Jeu de données inconnu : {', '.join(sorted(unknown))}")
        if retry_failed:
            jobs = PushJob.objects.all()
            if slugs:
                jobs = jobs.filter(release__dataset__in=datasets)
            count = len(retry_failed_pushes(jobs))
            self.stdout.write(self.style.SUCCESS(f"{count} envoi(s) relancé(s)"))
            return
        if not slugs:
            raise CommandError("Indiquez au moins un jeu de données, ou --retry-failed.")
        for dataset in datasets:
            release = dataset.releases.order_by("-number").first()
            if release is None:
                raise CommandError(f"{dataset.slug} n’a encore aucune publication.")
            jobs = push_release(release)
            self.stdout.write(f"{dataset.slug} v{release.number} : {len(jobs)} envoi(s) en file")
