"""The gunicorn server the contribution benchmark drives, and what it costs in CPU."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A cheap endpoint that needs the whole Django stack, to know the server is up.
READY_PATH = "/api/validate/?type=postcode&value=04000"
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
# Longer than any plausible answer: a request still waiting after this is an error, not a
# latency sample.
REQUEST_TIMEOUT_S = 60.0


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
