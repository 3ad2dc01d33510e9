"""Celery tasks of the coproduction app: thin wrappers around services, adding retries."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from .connectors.jobs import run_push_job
from .models import PushJob


class PushWillRetry(Exception):
    """Raised when a push met a transient error (connection, 5xx, 429): Celery retries it."""


@shared_task(
    bind=True,
    autoretry_for=(PushWillRetry,),
    retry_backoff=settings.PORTAL_RETRY_BACKOFF,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=PushJob.MAX_ATTEMPTS - 1,
    acks_late=True,
)
def push_release_job(self, job_id: int) -> str:
    """Send one release to one portal.

    Without a broker the task runs eagerly, inside the request that published the release:
    retrying at once would only keep the publisher waiting for a portal that is down, so the
    job fails after one attempt and can be sent again later (`push_releases --retry-failed`).
    """
    job = PushJob.objects.select_related("release__dataset", "target").filter(pk=job_id).first()
    if job is None:
        return "missing"
    if job.status in (PushJob.Status.SUCCEEDED, PushJob.Status.FAILED):
        return job.status  # delivered twice (acks_late after a worker restart): already done
    job = run_push_job(job, can_retry=not self.request.is_eager)
    if job.status == PushJob.Status.RETRYING:
        raise PushWillRetry(job.last_error)
    return job.status
