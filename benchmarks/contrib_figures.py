"""What the contribution benchmark reports: latencies, what the database stored, the verdict."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from bench_common import percentile

P95_TARGET_MS = 300.0


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


def verify_storage(records: list[Record], username_prefix: str) -> dict[str, Any]:
    """What the database holds after the load: each client_uuid sent exactly once, nothing
    else, one "created" event per contribution, and the ids the answers gave. Only the
    benchmark's accounts count: the demo data brings proposals of its own."""
    from django.db import connections

    from coproduction.models import Contribution, ContributionEvent

    connections.close_all()  # a fresh read, after the server has written everything
    ours = Contribution.objects.filter(author__user__username__startswith=username_prefix)
    sent = {r.client_uuid for r in records}
    stored = Counter(str(u) for u in ours.values_list("client_uuid", flat=True))
    ids = dict((str(u), pk) for u, pk in ours.values_list("client_uuid", "pk"))
    lost = sorted(sent - stored.keys())
    duplicates = sorted(u for u, n in stored.items() if n > 1)
    unexpected = sorted(stored.keys() - sent)
    wrong_ids = sorted(
        r.client_uuid
        for r in records
        if r.contribution_id is not None and ids.get(r.client_uuid) != r.contribution_id
    )
    created_events = ContributionEvent.objects.filter(
        action=ContributionEvent.Action.CREATED, contribution__in=ours
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
        for kind in sorted({r.kind for r in records})
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
