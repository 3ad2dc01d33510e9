"""Push jobs: sending a release to each of its dataset's portals, in the background.

These functions work without Celery (the task in `coproduction.tasks` only adds automatic
retries), so that a view, a management command or a test can call them directly.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from ..models import PortalTarget, PushJob, Release
from . import connector_for
from .base import PortalError

INFO, WARNING, ERROR = PushJob.Level.INFO, PushJob.Level.WARNING, PushJob.Level.ERROR


def push_release(release: Release) -> list[PushJob]:
    """One job per enabled portal of the release's dataset, each queued once the current
    transaction commits (the worker must find the job and the release in the database)."""
    jobs = create_push_jobs(release)
    for job in jobs:
        queue_push_job(job)
    return jobs


def create_push_jobs(release: Release) -> list[PushJob]:
    jobs = []
    for target in PortalTarget.objects.filter(dataset_id=release.dataset_id, enabled=True):
        job = PushJob(release=release, target=target)
        job.add_log(
            INFO,
            _("Envoi de la publication v%(number)s vers %(target)s en attente.")
            % {"number": release.number, "target": target},
        )
        job.save()
        jobs.append(job)
    return jobs


def queue_push_job(job: PushJob) -> None:
    from ..tasks import push_release_job

    transaction.on_commit(lambda: push_release_job.delay(job.pk))


def retry_failed_pushes(jobs: QuerySet[PushJob] | None = None) -> list[PushJob]:
    """Queue failed jobs again, from a fresh count of attempts. Only the newest release of
    each target is sent: an older one would overwrite it on the portal."""
    candidates = (jobs if jobs is not None else PushJob.objects.all()).filter(
        status=PushJob.Status.FAILED
    )
    newest = dict(PushJob.objects.values_list("target_id").annotate(number=Max("release__number")))
    retried, seen = [], set()
    for job in candidates.select_related("release", "target").order_by("-created_at", "-id"):
        key = (job.target_id, job.release_id)
        if key in seen or job.release.number < newest[job.target_id]:
            continue
        seen.add(key)
        job.status = PushJob.Status.QUEUED
        job.attempts = 0
        job.add_log(INFO, _("Nouvel envoi demandé."))
        job.save()
        queue_push_job(job)
        retried.append(job)
    return retried


def run_push_job(job: PushJob, *, can_retry: bool = False) -> PushJob:
    """One attempt. A transient failure (portal down, overloaded) leaves the job `retrying`
    when `can_retry` and attempts remain, else `failed`; the release itself never changes."""
    newer = _newer_release_number(job)
    if newer:
        message = _(
            "La publication v%(newer)s, plus récente, part aussi vers ce portail : "
            "la v%(number)s n’y est pas envoyée, pour ne pas la remplacer."
        ) % {"newer": newer, "number": job.release.number}
        return _finish_with_error(job, message, retry=False)
    job.status = PushJob.Status.RUNNING
    job.attempts += 1
    job.add_log(
        INFO,
        _(
            "Tentative %(attempt)s sur %(max)s : "
            "envoi de la publication v%(number)s vers %(target)s."
        )
        % {
            "attempt": job.attempts,
            "max": PushJob.MAX_ATTEMPTS,
            "number": job.release.number,
            "target": job.target,
        },
    )
    job.save()
    try:
        resource_ids = connector_for(job.target)(job.release, job.target, job.add_log)
    except PortalError as error:
        retry = error.transient and can_retry and job.attempts < PushJob.MAX_ATTEMPTS
        return _finish_with_error(job, error.message, retry=retry, transient=error.transient)
    except Exception as error:
        _finish_with_error(job, _("Erreur inattendue : %(error)s") % {"error": error}, retry=False)
        raise
    target = job.target
    target.resource_ids = {**target.resource_ids, **resource_ids}
    target.save(update_fields=["resource_ids", "updated_at"])
    job.status = PushJob.Status.SUCCEEDED
    job.last_error = ""
    job.add_log(INFO, _("Publication v%(number)s envoyée.") % {"number": job.release.number})
    job.save()
    return job


def _newer_release_number(job: PushJob) -> int | None:
    return (
        PushJob.objects.filter(target_id=job.target_id, release__number__gt=job.release.number)
        .aggregate(number=Max("release__number"))
        .get("number")
    )


def _finish_with_error(
    job: PushJob, message: str, *, retry: bool, transient: bool = False
) -> PushJob:
    job.last_error = message
    job.add_log(ERROR, message)
    if retry:
        job.status = PushJob.Status.RETRYING
        job.add_log(INFO, _("Nouvelle tentative automatique dans quelques instants."))
    else:
        job.status = PushJob.Status.FAILED
        if transient:
            job.add_log(
                WARNING,
                _("La publication est conservée : son envoi pourra être relancé plus tard."),
            )
    job.save()
    return job
