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
import math
import os
import platform
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench_common import database_description, postgres_database

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "benchmarks" / "output"

P95_TARGET_MS = 300.0
# Share of the sends that re-post an already-answered proposal, as a browser does when the
# workshop Wi-Fi drops an answer: the server must answer 200 with the stored contribution.
RETRY_SHARE = 0.05
DATASET_SLUG = "lieux-inclusion-numerique"
API_PATH = "/api/contributions/"
# A cheap endpoint that needs the whole Django stack, to know the server is up.
READY_PATH = "/api/validate/?type=postcode&value=04000"
READY_TIMEOUT_S = 60.0
# Longer than any plausible answer: a request still waiting after this is an error, not a
# latency sample.
REQUEST_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
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

# The mix of a workshop: mostly attribute fixes and comments, some moves, a few closures.
KIND_WEIGHTS = {"attributes": 0.45, "comment": 0.25, "move": 0.18, "closed": 0.12}
POSTCODE_FIELD = "adresse_code_postal"
HOURS_FIELD = "horaires_ouverture_osm"
PHONE_FIELD = "contact_telephone"
POSTCODES = ("04000", "04100", "05000", "06000", "13001", "13100", "83000", "84000")
OPENING_HOURS = (
    "Mo-Fr 09:00-12:00,14:00-18:00",
    "Tu-Sa 10:00-18:00",
    "Mo,We,Fr 09:00-17:00",
    "Mo-Th 08:30-12:00,13:30-17:00; Fr 08:30-12:00",
    "We 14:00-18:00; Sa 09:00-12:00",
)
PHONES = ("04 92 31 00 00", "04 91 55 12 34", "04 94 22 10 10", "06 12 34 56 78")
COMMENTS = (
    "L’entrée se fait par la cour, à droite du portail.",
    "Accès difficile en fauteuil : trois marches sans rampe.",
    "Les ateliers ont lieu le mardi après-midi, sur inscription.",
    "Le numéro de téléphone ne répond plus, il faut passer par la mairie.",
    "Il y a maintenant un conseiller numérique France Services sur place.",
)
CLOSED_COMMENTS = (
    "",
    "Local vide, panneau « fermé définitivement » sur la porte.",
    "L’association a déménagé, le lieu n’accueille plus de public.",
)
MOVE_METRES = (3.0, 40.0)
METRES_PER_DEGREE = 111_320.0


# Data ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a client knows about a place before proposing a change: its id, version, position
    and the current values of the attributes it may correct (to propose different ones)."""

    id: int
    version: int
    lon: float
    lat: float
    postcode: Any
    hours: Any
    phone: Any


@dataclass(frozen=True)
class Session:
    """A signed-in contributor, as a browser holds it: two cookies."""

    username: str
    sessionid: str
    csrftoken: str


@dataclass
class Record:
    """One HTTP request of the load, as measured by the client."""

    user: int
    client_uuid: str
    kind: str
    retry: bool
    scheduled_s: float  # when it should have left, from the start of the load
    started_s: float  # when it did leave; a gap means the client fell behind its schedule
    latency_ms: float
    status: int  # 0 when no HTTP answer came back
    contribution_id: int | None = None
    expected_id: int | None = None  # for a retry, the id the first answer gave
    error: str = ""


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


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _differs(candidate: str, current: Any) -> bool:
    """A proposal equal to the current value is refused (400), so it would count as an error
    that the server did not make. A number attribute keeps its type (04000 is stored as 4000),
    hence the numeric comparison too."""
    text = _as_text(current)
    if candidate == text:
        return False
    if isinstance(current, (int, float)) and not isinstance(current, bool):
        return float(candidate.replace(" ", "") or "nan") != float(current)
    return True


def _is_text_or_empty(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _attribute_changes(rng: random.Random, target: Target) -> dict[str, str]:
    """One or two fixes a participant would make: a postcode, opening hours, a phone number."""
    candidates: list[tuple[str, str]] = []
    postcodes = [p for p in POSTCODES if _differs(p, target.postcode)]
    if postcodes:
        candidates.append((POSTCODE_FIELD, rng.choice(postcodes)))
    if _is_text_or_empty(target.hours):
        hours = [h for h in OPENING_HOURS if _differs(h, target.hours)]
        candidates.append((HOURS_FIELD, rng.choice(hours)))
    if _is_text_or_empty(target.phone):
        phones = [p for p in PHONES if _differs(p, target.phone)]
        candidates.append((PHONE_FIELD, rng.choice(phones)))
    if not candidates:
        return {}
    return dict(rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 1, 2)))))


def _moved(rng: random.Random, target: Target) -> list[float]:
    """The place a few metres away, as when someone drags its marker onto the right door."""
    distance = rng.uniform(*MOVE_METRES)
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / METRES_PER_DEGREE
    dlon = distance * math.sin(bearing) / (METRES_PER_DEGREE * math.cos(math.radians(target.lat)))
    return [round(target.lon + dlon, 7), round(target.lat + dlat, 7)]


def build_proposal(rng: random.Random, target: Target) -> dict[str, Any]:
    """A realistic, valid proposal on `target`: a refusal would measure the client, not the
    server."""
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    proposal: dict[str, Any] = {
        "client_uuid": str(uuid.uuid4()),
        "dataset": DATASET_SLUG,
        "feature": target.id,
        "base_version": target.version,
        "kind": kind,
    }
    changes = _attribute_changes(rng, target) if kind == "attributes" else {}
    if kind == "attributes" and not changes:
        kind = proposal["kind"] = "comment"  # nothing this place can take: say it instead
    if kind == "attributes":
        proposal["changes"] = changes
        if rng.random() < 0.3:
            proposal["comment"] = "Vérifié sur place pendant l’atelier."
    elif kind == "comment":
        proposal["comment"] = rng.choice(COMMENTS)
    elif kind == "move":
        proposal["geometry"] = {"type": "Point", "coordinates": _moved(rng, target)}
        proposal["comment"] = "L’entrée est de l’autre côté du bâtiment."
    else:
        proposal["comment"] = rng.choice(CLOSED_COMMENTS)
    return proposal


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


# Server -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int, workers: int, threads: int, access_log: Path | None) -> list[str]:
    """The production server, as a deployment would run it."""
    executable = Path(sys.executable).parent / "gunicorn"
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "gunicorn"]
    command += [
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    if access_log is not None:
        # %(D)s: time spent in the server, in microseconds; compared with the client's latency
        # it separates waiting for a thread from doing the work.
        command += [
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            '%(t)s "%(r)s" %(s)s %(b)s %(D)s',
        ]
    return command


@contextmanager
def running_server(command: list[str], port: int, log_path: Path) -> Iterator[subprocess.Popen]:
    """Start gunicorn, wait until the whole stack answers, and stop it (only the process this
    function started) whatever happens."""
    log = log_path.open("wb")
    process = subprocess.Popen(
        command, cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                status, _headers, _body = http_request(port, "GET", READY_PATH, timeout=2.0)
                if status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not answer within {READY_TIMEOUT_S:g} s")
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()


def _process_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # utime and stime are the 14th and 15th fields of the whole line.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_seconds(master: int) -> dict[int, float]:
    """CPU used so far by the gunicorn master and its workers: with two cores shared by the
    client, the server and the database, it tells whether the machine was the limit."""
    pids = [master]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            pids.append(int(entry.name))
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = _process_cpu_seconds(pid)
        except OSError:
            continue
    return seconds


def machine_cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # without guest time, already counted in user
    return total - idle, total


# HTTP client --------------------------------------------------------------------------------


def http_request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = REQUEST_TIMEOUT_S,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One request on a new connection, as nginx sends them to gunicorn by default (and as a
    browser does after two idle seconds past gunicorn's 2 s keep-alive): it keeps a closed
    keep-alive socket from being billed to the server."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(
            method, path, body=body, headers={"Connection": "close", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


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


# Figures ------------------------------------------------------------------------------------


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def latency_figures(samples: list[float]) -> dict[str, Any]:
    if not samples:
        return {"count": 0}
    return {
        "count": len(samples),
        "mean_ms": round(sum(samples) / len(samples), 2),
        "p50_ms": round(percentile(samples, 0.50), 2),
        "p90_ms": round(percentile(samples, 0.90), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "p99_ms": round(percentile(samples, 0.99), 2),
        "max_ms": round(max(samples), 2),
        "min_ms": round(min(samples), 2),
    }


def verify_storage(records: list[Record]) -> dict[str, Any]:
    """What the database holds after the load: each client_uuid sent exactly once, nothing
    else, one "created" event per contribution, and the ids the answers gave."""
    from django.db import connections

    from coproduction.models import Contribution, ContributionEvent

    connections.close_all()  # a fresh read, after the server has written everything
    sent = {r.client_uuid for r in records}
    stored = Counter(str(u) for u in Contribution.objects.values_list("client_uuid", flat=True))
    ids = dict((str(u), pk) for u, pk in Contribution.objects.values_list("client_uuid", "pk"))
    lost = sorted(sent - stored.keys())
    duplicates = sorted(u for u, n in stored.items() if n > 1)
    unexpected = sorted(stored.keys() - sent)
    wrong_ids = sorted(
        r.client_uuid
        for r in records
        if r.contribution_id is not None and ids.get(r.client_uuid) != r.contribution_id
    )
    created_events = ContributionEvent.objects.filter(
        action=ContributionEvent.Action.CREATED
    ).count()
    total = sum(stored.values())
    return {
        "distinct_uuids_sent": len(sent),
        "rows_stored": total,
        "lost": len(lost),
        "duplicates": len(duplicates),
        "unexpected_rows": len(unexpected),
        "answers_with_wrong_id": len(wrong_ids),
        "created_events": created_events,
        "rows_equal_distinct_uuids": total == len(sent),
        "one_event_per_row": created_events == total,
        "lost_uuids": lost[:20],
        "duplicate_uuids": duplicates[:20],
    }


def summarise(
    records: list[Record],
    wall_s: float,
    storage: dict[str, Any],
    server_log: str,
    crashes: list[str],
) -> dict[str, Any]:
    errors = [r for r in records if r.error]
    latencies = [r.latency_ms for r in records if r.status]
    lags = [max(0.0, r.started_s - r.scheduled_s) * 1000 for r in records]
    by_kind = {
        kind: latency_figures([r.latency_ms for r in records if r.kind == kind and not r.retry])
        for kind in KIND_WEIGHTS
    }
    figures = latency_figures(latencies)
    passed = {
        "errors": not errors and not crashes,
        "lost": storage["lost"] == 0 and storage["rows_equal_distinct_uuids"],
        "duplicates": storage["duplicates"] == 0 and storage["unexpected_rows"] == 0,
        "p95": bool(latencies) and figures["p95_ms"] < P95_TARGET_MS,
    }
    return {
        "requests": len(records),
        "new_proposals": sum(not r.retry for r in records),
        "retries": sum(r.retry for r in records),
        "wall_seconds": round(wall_s, 2),
        "requests_per_second": round(len(records) / wall_s, 2) if wall_s else 0.0,
        "statuses": dict(Counter(str(r.status) for r in records).most_common()),
        "errors": len(errors),
        "error_samples": [asdict(r) for r in errors[:10]],
        "client_crashes": crashes,
        "latency": figures,
        "latency_new_by_kind": by_kind,
        "latency_retries": latency_figures([r.latency_ms for r in records if r.retry]),
        # How late sends left compared with their schedule: large values would mean the client
        # itself was starved of CPU, and that the latencies understate the wait.
        "send_lag": latency_figures(lags),
        "storage": storage,
        "server_log": {
            "lines": server_log.count("\n"),
            "database_is_locked": server_log.count("database is locked"),
            "tracebacks": server_log.count("Traceback"),
            "worker_timeouts": server_log.count("WORKER TIMEOUT"),
        },
        "targets": {"p95_ms": P95_TARGET_MS, **{k: bool(v) for k, v in passed.items()}},
        "pass": all(passed.values()),
    }


def print_summary(results: dict[str, Any]) -> None:
    summary, latency = results["summary"], results["summary"]["latency"]
    storage, targets = summary["storage"], summary["targets"]

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    rows = [
        (
            "Requests (new + retries)",
            f"{summary['requests']} ({summary['new_proposals']} + {summary['retries']})",
            "-",
            "-",
        ),
        (
            "Throughput",
            f"{summary['requests_per_second']:.1f} req/s over {summary['wall_seconds']:.1f} s",
            "-",
            "-",
        ),
        (
            "Latency p50 / p99 / max",
            f"{latency['p50_ms']:.1f} / {latency['p99_ms']:.1f} / {latency['max_ms']:.1f} ms",
            "-",
            "-",
        ),
        (
            "Latency p95",
            f"{latency['p95_ms']:.1f} ms",
            f"< {P95_TARGET_MS:g} ms",
            verdict(targets["p95"]),
        ),
        ("Errors", str(summary["errors"]), "0", verdict(targets["errors"])),
        ("Lost client_uuids", str(storage["lost"]), "0", verdict(targets["lost"])),
        (
            "Duplicated client_uuids",
            str(storage["duplicates"]),
            "0",
            verdict(targets["duplicates"]),
        ),
        (
            "Rows stored / distinct uuids sent",
            f"{storage['rows_stored']} / {storage['distinct_uuids_sent']}",
            "equal",
            "-",
        ),
        (
            "Send lag p95 / max",
            f"{summary['send_lag']['p95_ms']:.1f} / {summary['send_lag']['max_ms']:.1f} ms",
            "-",
            "-",
        ),
        (
            "Server CPU during load",
            f"{results['cpu']['server_seconds']:.1f} s "
            f"({results['cpu']['server_share_of_machine']:.0%} of the machine)",
            "-",
            "-",
        ),
        (
            "Machine busy during load",
            f"{results['cpu']['machine_busy']:.0%} of {os.cpu_count()} cores",
            "-",
            "-",
        ),
        (
            "'database is locked' in server log",
            str(summary["server_log"]["database_is_locked"]),
            "0",
            "-",
        ),
    ]
    widths = [
        max(len(str(row[i])) for row in rows + [("Measure", "Value", "Target", "Result")])
        for i in range(4)
    ]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print(
        f"\nCarte Commune contribution load, {results['database']}, {results['users']} users "
        f"every {results['interval_s']:g} s for {results['duration_s']:g} s, gunicorn gthread "
        f"{results['gunicorn']['workers']}x{results['gunicorn']['threads']}, "
        f"{results['machine']}"
    )
    print(line.format("Measure", "Value", "Target", "Result"))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))
    for crash in summary["client_crashes"]:
        print(f"Client crash (a bug of this script): {crash}")
    for sample in summary["error_samples"][:3]:
        print(f"Error sample: {sample['status']} {sample['error'][:200]}")
    print(f"Overall: {verdict(summary['pass'])}")


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
    storage = verify_storage(records)
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
