"""A push through a real Redis broker and a real Celery worker process, to a CKAN action API
served on 127.0.0.1 by the test: the production path, end to end, off the network.

The worker shares the test database, so SQLite needs a database file: run the tests with
SQLITE_TEST_PATH set (CI does). On the in-memory default the test is skipped, saying so.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection

from coproduction.connectors.jobs import create_push_jobs
from coproduction.models import PushJob
from coproduction.tasks import push_release_job

from .fake_ckan import FakeCkan

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = "redis://127.0.0.1:6379/15"
DEADLINE_SECONDS = 60


def database_env() -> dict[str, str]:
    """Environment that points the worker's settings at the test database."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"])
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return {"DATABASE_URL": f"postgres://{credentials}@{host}/{db['NAME']}"}
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        return {"DATABASE_URL": "", "SQLITE_PATH": str(db["NAME"])}
    pytest.skip("the worker process needs a test database file: set SQLITE_TEST_PATH")


def require_redis() -> None:
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {BROKER}: {error}")


@contextmanager
def celery_worker(queue: str, env: dict[str, str], log_path: Path):
    command = [
        sys.executable, "-m", "tests.connectors.guarded_worker",
        "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
        "-n", f"{queue}@localhost", "--without-gossip", "--without-mingle",
        "--without-heartbeat", "--loglevel=INFO",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: b" ready." in log_path.read_bytes(), process, log_path)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        broker = redis.Redis.from_url(BROKER)
        for key in broker.scan_iter(f"*{queue}*"):  # the queue and kombu's bindings of it
            broker.delete(key)


def wait_for(condition, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        tail = log_path.read_text(errors="replace")[-3000:]
        assert process.poll() is None, f"the worker stopped:\n{tail}"
        assert time.monotonic() < deadline, f"gave up after {DEADLINE_SECONDS} s:\n{tail}"
        time.sleep(0.2)


def test_a_real_worker_retries_a_portal_restart_then_pushes(release, ckan_target, tmp_path):
    env_database = database_env()
    require_redis()
    queue = f"test-push-{uuid.uuid4().hex[:12]}"
    [job] = create_push_jobs(release)

    with FakeCkan(failures=1) as ckan:
        env = {
            **os.environ,
            **env_database,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_BROKER_URL": BROKER,
            "CKAN_URL": ckan.url,
            "CKAN_API_KEY": "ckan-worker-token",
            "CARTE_VAR_DIR": str(tmp_path),  # MEDIA_ROOT is tmp_path / "media" in both
            "CARTE_PORTAL_RETRY_BACKOFF": "1",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
        with celery_worker(queue, env, tmp_path / "worker.log") as worker:
            sender = Celery("carte-commune-test-sender", broker=BROKER, set_as_current=False)
            with sender:
                sender.send_task(push_release_job.name, args=[job.pk], queue=queue)

            def finished() -> bool:
                job.refresh_from_db()
                return job.status in (PushJob.Status.SUCCEEDED, PushJob.Status.FAILED)

            wait_for(finished, worker, tmp_path / "worker.log")

    assert (job.status, job.attempts) == (PushJob.Status.SUCCEEDED, 2), job.log
    assert job.log[2]["message"] == "Le portail a répondu 503 : 503 Service Unavailable"
    assert [r["path"] for r in ckan.received] == ["/api/action/package_show"] * 2 + [
        "/api/action/resource_create"
    ] * 3
    assert {r["authorization"] for r in ckan.received} == {"ckan-worker-token"}
    uploads = [r["fields"]["upload"] for r in ckan.received[2:]]
    assert [(name, hashlib.sha256(content).hexdigest()) for name, content in uploads] == [
        ("inclusion.csv", release.sha256["csv"]),
        ("inclusion.geojson", release.sha256["geojson"]),
        ("inclusion-mednum-1.0.2.csv", release.sha256["schema.csv"]),
    ]
    ckan_target.refresh_from_db()
    assert set(ckan_target.resource_ids) == {"csv", "geojson", "schema.csv"}
