"""Load benchmark of the contribution API, against a real gunicorn server.

Target (a workshop room): 50 contributors, each posting a proposal every 2 seconds for 60
seconds, get zero errors, lose nothing (every client_uuid stored exactly once, retries
included) and the 95th-percentile answer under 300 ms, on the embedded SQLite default and on
PostgreSQL.

The script never touches the developer's database: it migrates a throw-away SQLite file in a
temporary folder (or, with --database-url, a dedicated PostgreSQL database that it creates and
drops), loads the real demonstration data and 50 accounts, starts gunicorn on a free port with
production settings (DEBUG off), drives it over HTTP from one thread per contributor, then
checks in the database what was stored. See benchmarks/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench_common import database_description, postgres_database
from contrib_figures import Record, print_summary, summarise, verify_storage
from contrib_proposals import (
    DATASET_SLUG,
    HOURS_FIELD,
    PHONE_FIELD,
    POSTCODE_FIELD,
    Target,
    build_proposal,
)
from contrib_server import (
    free_port,
    gunicorn_command,
    http_request,
    machine_cpu_ticks,
    running_server,
    server_cpu_seconds,
)

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "benchmarks" / "output"

# Share of the sends that re-post an already-answered proposal, as a browser does when the
# workshop Wi-Fi drops an answer: the server must answer 200 with the stored contribution.
RETRY_SHARE = 0.05
API_PATH = "/api/contributions/"
SEED = 20260615
USERNAME_PREFIX = "bench-contrib-"

# Pinned so that a shell that exports other values cannot change what is measured.
ENV_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    # Warnings and errors only: django.request logs every 4xx/5xx with its cause, which is the
    # server-side evidence when something fails; INFO lines would cost time under load.
    "LOG_LEVEL": "WARNING",
    "PYTHONUNBUFFERED": "1",
}
ENV_UNSET = ("DATABASE_URL", "SQLITE_PATH", "DJANGO_CSRF_TRUSTED_ORIGINS")

# Data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A signed-in contributor, as a browser holds it: two cookies."""

    username: str
    sessionid: str
    csrftoken: str


@dataclass
class Sent:
    """A proposal already answered, kept to re-post it byte for byte as a retry."""

    body: bytes
    client_uuid: str
    kind: str
    contribution_id: int


@dataclass
class Contributor:
    """One simulated person: their session, a private random stream and their sends."""

    index: int
    session: Session
    rng: random.Random
    records: list[Record] = field(default_factory=list)
    last_sent: Sent | None = None
    crash: str = ""  # a client bug must fail the run, not quietly send fewer requests


# Environment and database -------------------------------------------------------------------


def configure_environment(workdir: Path, database_url: str | None) -> None:
    """Point the settings at throw-away storage before Django reads them; the server inherits
    this environment, so both processes see the same database."""
    for name in ENV_UNSET:
        os.environ.pop(name, None)
    os.environ.update(ENV_DEFAULTS)
    os.environ["CARTE_VAR_DIR"] = str(workdir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")


def prepare_database(users: int) -> tuple[list[Target], list[tuple[str, str]]]:
    """Migrate, load the demonstration data the way `manage.py demo` does, create the accounts
    and their server-side sessions. Returns the places to propose on and (username, sessionid)
    pairs."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    from coproduction.models import Dataset
    from coproduction.services.demo import load_demo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    for line in load_demo():
        print(f"  demo: {line}", flush=True)
    dataset = Dataset.objects.get(slug=DATASET_SLUG)
    targets = [
        Target(
            id=feature.pk,
            version=feature.version,
            lon=feature.lon,
            lat=feature.lat,
            postcode=feature.properties.get(POSTCODE_FIELD),
            hours=feature.properties.get(HOURS_FIELD),
            phone=feature.properties.get(PHONE_FIELD),
        )
        for feature in dataset.features.filter(is_removed=False, geometry_type="Point")
    ]
    user_model = get_user_model()
    sessions = []
    for index in range(users):
        username = f"{USERNAME_PREFIX}{index:03d}"
        user = user_model.objects.create_user(
            username=username, email=f"{username}@cartecommune.test", first_name=f"Banc {index}"
        )
        client = Client()
        client.force_login(user)
        sessions.append((username, client.cookies["sessionid"].value))
    connections.close_all()  # nothing held open while the server writes
    print(
        f"Prepared {database_description()}: {len(targets)} places in {DATASET_SLUG}, "
        f"{users} accounts, in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return targets, sessions


# HTTP client --------------------------------------------------------------------------------


def open_session(port: int, username: str, sessionid: str, logout_path: str) -> Session:
    """Fetch the CSRF cookie the way the page does (GET /), and check the session is signed in
    (the page then offers to sign out)."""
    status, headers, body = http_request(
        port, "GET", "/", headers={"Cookie": f"sessionid={sessionid}"}
    )
    cookies: SimpleCookie = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            cookies.load(value)
    if status != 200 or "csrftoken" not in cookies:
        raise SystemExit(f"GET / for {username} answered {status} without a CSRF cookie")
    if logout_path.encode() not in body:
        raise SystemExit(f"The session of {username} is not signed in on the server")
    return Session(username, sessionid, cookies["csrftoken"].value)


def send(port: int, session: Session, body: bytes) -> tuple[int, dict[str, Any] | None, float, str]:
    """POST one proposal; returns status, decoded answer, latency in ms and an error text."""
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Cookie": f"sessionid={session.sessionid}; csrftoken={session.csrftoken}",
        "X-CSRFToken": session.csrftoken,
    }
    started = time.perf_counter()
    try:
        status, _headers, raw = http_request(port, "POST", API_PATH, body=body, headers=headers)
    except (OSError, http.client.HTTPException) as exc:
        return 0, None, (time.perf_counter() - started) * 1000, f"{type(exc).__name__}: {exc}"
    latency_ms = (time.perf_counter() - started) * 1000
    try:
        answer = json.loads(raw)
    except ValueError:
        return status, None, latency_ms, raw[:300].decode("utf-8", "replace")
    return status, answer, latency_ms, ""


def contributor_loop(contributor: Contributor, *args: Any) -> None:
    try:
        _contributor_loop(contributor, *args)
    except Exception as exc:
        contributor.crash = f"{type(exc).__name__}: {exc}"


def _contributor_loop(
    contributor: Contributor,
    port: int,
    targets: list[Target],
    origin: float,
    interval: float,
    duration: float,
    retry_share: float,
) -> None:
    """Send a proposal every `interval` seconds from a random start in the first interval,
    keeping to the schedule (a late answer delays only the next send, it never skips it)."""
    rng = contributor.rng
    offset = rng.uniform(0, interval)
    tick = 0
    while (scheduled := offset + tick * interval) < duration:
        tick += 1
        delay = origin + scheduled - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        previous = contributor.last_sent
        retry = previous is not None and rng.random() < retry_share
        if retry:
            assert previous is not None
            body, client_uuid, kind = previous.body, previous.client_uuid, previous.kind
        else:
            proposal = build_proposal(rng, rng.choice(targets))
            body = json.dumps(proposal).encode()
            client_uuid, kind = proposal["client_uuid"], proposal["kind"]
        started_s = time.perf_counter() - origin
        status, answer, latency_ms, error = send(port, contributor.session, body)
        record = Record(
            user=contributor.index,
            client_uuid=client_uuid,
            kind=kind,
            retry=retry,
            scheduled_s=round(scheduled, 4),
            started_s=round(started_s, 4),
            latency_ms=round(latency_ms, 3),
            status=status,
            contribution_id=answer.get("id") if isinstance(answer, dict) else None,
            expected_id=previous.contribution_id if retry and previous else None,
        )
        expected = 200 if retry else 201
        if error:
            record.error = error
        elif status != expected:
            record.error = f"expected {expected}, got {status}: {json.dumps(answer)[:300]}"
        elif retry and record.contribution_id != record.expected_id:
            record.error = f"retry answered id {record.contribution_id}, not {record.expected_id}"
        contributor.records.append(record)
        if status == 201 and not record.error and record.contribution_id is not None:
            contributor.last_sent = Sent(body, client_uuid, kind, record.contribution_id)


def run_load(
    port: int, sessions: list[Session], targets: list[Target], args: argparse.Namespace
) -> tuple[list[Record], float, list[str]]:
    """One thread per contributor, all sharing one origin of time. Returns the records, the
    wall time from the first send to the last answer and the client crashes."""
    contributors = [
        Contributor(index, session, random.Random(SEED + index))
        for index, session in enumerate(sessions)
    ]
    origin = time.perf_counter() + 0.5  # every thread is started before the first send
    threads = [
        threading.Thread(
            target=contributor_loop,
            args=(c, port, targets, origin, args.interval, args.duration, args.retry_share),
            name=f"contributor-{c.index}",
        )
        for c in contributors
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    records = sorted(
        (r for c in contributors for r in c.records), key=lambda r: (r.started_s, r.user)
    )
    ended = max((r.started_s + r.latency_ms / 1000 for r in records), default=0.0)
    first = min((r.started_s for r in records), default=0.0)
    crashes = [f"contributor {c.index}: {c.crash}" for c in contributors if c.crash]
    return records, ended - first, crashes


# Run ----------------------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path, stamp: str, label: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.urls import reverse

    targets, logins = prepare_database(args.users)
    if args.hot_places:
        targets = random.Random(SEED).sample(targets, min(args.hot_places, len(targets)))
        print(f"Hot spot: every proposal is on the same {len(targets)} places", flush=True)
    logout_path = reverse("account_logout")
    port = free_port()
    server_log = OUTPUT_DIR / f"contributions-{label}-{stamp}-server.log"
    access_log = (
        OUTPUT_DIR / f"contributions-{label}-{stamp}-access.log" if args.access_log else None
    )
    command = gunicorn_command(port, args.workers, args.threads, access_log)
    print("Server: " + " ".join(command), flush=True)
    load_before = os.getloadavg()
    with running_server(command, port, server_log) as server:
        sessions = [open_session(port, name, sid, logout_path) for name, sid in logins]
        print(
            f"Load: {args.users} contributors, one proposal every {args.interval:g} s for "
            f"{args.duration:g} s...",
            flush=True,
        )
        cpu_before, machine_before = server_cpu_seconds(server.pid), machine_cpu_ticks()
        client_before = resource.getrusage(resource.RUSAGE_SELF)
        records, wall_s, crashes = run_load(port, sessions, targets, args)
        client_after = resource.getrusage(resource.RUSAGE_SELF)
        cpu_after, machine_after = server_cpu_seconds(server.pid), machine_cpu_ticks()
        load_after = os.getloadavg()
    server_seconds = sum(cpu_after[p] - cpu_before.get(p, 0.0) for p in cpu_after)
    busy = machine_after[0] - machine_before[0]
    total = machine_after[1] - machine_before[1]
    storage = verify_storage(records, USERNAME_PREFIX)
    log_text = server_log.read_text(errors="replace")
    summary = summarise(records, wall_s, storage, log_text, crashes)
    import gunicorn

    return {
        "timestamp": stamp,
        "database": database_description(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "command": " ".join([_shown(Path(sys.executable)), *sys.argv]),
        "users": args.users,
        "interval_s": args.interval,
        "duration_s": args.duration,
        "retry_share": args.retry_share,
        "seed": SEED,
        "places": len(targets),
        "hot_places": args.hot_places,
        "gunicorn": {
            "version": gunicorn.__version__,
            "workers": args.workers,
            "threads": args.threads,
            "command": " ".join(command),
            "log": str(server_log.relative_to(ROOT)),
            "access_log": str(access_log.relative_to(ROOT)) if access_log else None,
            "workers_seen": len(cpu_after) - 1,
        },
        "cpu": {
            "server_seconds": round(server_seconds, 2),
            "client_seconds": round(
                client_after.ru_utime
                + client_after.ru_stime
                - client_before.ru_utime
                - client_before.ru_stime,
                2,
            ),
            "machine_busy": round(busy / total, 3) if total else 0.0,
            "server_share_of_machine": round(server_seconds * os.sysconf("SC_CLK_TCK") / total, 3)
            if total
            else 0.0,
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in load_after],
        },
        "summary": summary,
        "records": [asdict(r) for r in records],
    }


def _shown(path: Path) -> str:
    """A path relative to the project when it is inside, so the command can be pasted."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=None,
        help="run on PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/"
        "cartecommune_bench_contrib (created, then dropped; its name must contain 'bench'); "
        "default: the embedded SQLite, in a fresh temporary folder",
    )
    parser.add_argument("--users", type=int, default=50, help="concurrent contributors")
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between two proposals of a user"
    )
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument(
        "--retry-share",
        type=float,
        default=RETRY_SHARE,
        help="share of sends that re-post the previous proposal (same client_uuid)",
    )
    parser.add_argument(
        "--hot-places",
        type=int,
        default=0,
        help="propose only on this many places (a workshop walking the same street): "
        "competing proposals pile up on each; default 0, every place of the dataset",
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="also keep gunicorn's access log with the server time of each request",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (SQLite file, media)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    label = "postgresql" if args.database_url else "sqlite"
    workdir = Path(tempfile.mkdtemp(prefix="carte-bench-contrib-"))
    try:
        configure_environment(workdir, args.database_url)
        with postgres_database(args.database_url):
            results = run(args, workdir, stamp, label)
    finally:
        if args.keep:
            print(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    path = OUTPUT_DIR / f"contributions-{label}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_summary(results)
    print(f"Results: {path.relative_to(ROOT)}")
    return 0 if results["summary"]["pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
