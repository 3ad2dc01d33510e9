"""Benchmark of the two foundation targets of Carte Commune.

1. Importing a generated 100,000-row CSV through the real import service takes under 30 s.
2. The visible-area GeoJSON endpoint answers in under 50 ms (median of at least 200 requests) on
   a 100,000-feature dataset, for viewports holding about 1,000 features each.

The script never touches the developer's database: it migrates a throw-away SQLite file in a
temporary folder (or, with --database-url, a dedicated PostgreSQL database that it creates and
drops), and forces the product's defaults for the settings that shape the figures. See
benchmarks/README.md for how to run it and how to read its output.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import platform
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench_common import database_description, percentile, postgres_database
from foundation_data import CHANGED_SHARE, REGION_BBOX, write_files

if TYPE_CHECKING:
    from django.test import Client

    from coproduction.models import Dataset
    from coproduction.services.importer import ImportReport

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "benchmarks" / "output"

IMPORT_TARGET_S = 30.0
ENDPOINT_TARGET_MS = 50.0
VIEWPORT_FEATURES = 1000
# A viewport is accepted when it holds VIEWPORT_FEATURES within this share (975 to 1,025).
VIEWPORT_TOLERANCE = 0.025
# The shape of a map on a 16:10 screen, on the ground (the width is corrected for latitude).
VIEWPORT_ASPECT = 1.6
WARMUP_REQUESTS = 10
SEED = 20260601
SLUG = "bench-lieux"


# Pinned so that a shell that exports other values cannot change what is measured.
ENV_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    # Production runs without DEBUG; with it, Django formats and keeps the SQL of every query,
    # which would bill the import for work a real server does not do.
    "DJANGO_DEBUG": "0",
    "CARTE_REGION_BBOX": ",".join(str(v) for v in REGION_BBOX),
    "LOG_LEVEL": "WARNING",
}
ENV_UNSET = ("CARTE_MAP_MAX_FEATURES", "CARTE_IMPORT_MAX_BYTES")

PROFILE = {
    "title": "Lieux de médiation (banc d’essai)",
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "latitude", "lon": "longitude"},
    "fields": {
        "code_postal": {"type": "postcode", "required": True},
        "horaires": {"type": "opening_hours"},
        "telephone": {"type": "phone"},
        "site_web": {"type": "url"},
    },
}
# Environment --------------------------------------------------------------------------------


def configure_environment(workdir: Path, database_url: str | None) -> None:
    """Point the settings at throw-away storage before Django reads them."""
    for name in ENV_UNSET:
        os.environ.pop(name, None)
    os.environ.update(ENV_DEFAULTS)
    os.environ["CARTE_VAR_DIR"] = str(workdir)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")


def code_version() -> str:
    """The commit measured, marked "-dirty" when the working tree differs from it."""
    try:
        result = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return result.stdout.strip()


# Measures -----------------------------------------------------------------------------------


@contextmanager
def profiled(enabled: bool, label: str, stamp: str) -> Iterator[None]:
    """With --profile, run the block under cProfile, print its top functions and keep the
    .prof file next to the JSON results (for snakeviz or pstats)."""
    if not enabled:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
        path = OUTPUT_DIR / f"foundation-{stamp}-{label}.prof"
        profiler.dump_stats(path)
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        print(f"\n--- cProfile: {label} ({path.name}) ---{text.getvalue()}", flush=True)


def timed_import(path: Path, profile: dict) -> tuple[float, ImportReport]:
    """Seconds to read the file and import it, the way the import command and page do."""
    from coproduction.importing.sources import from_path
    from coproduction.profiles import DatasetProfile
    from coproduction.services.importer import import_dataset

    dataset_profile = DatasetProfile.from_dict(profile)
    started = time.perf_counter()
    report = import_dataset(from_path(path), SLUG, profile=dataset_profile)
    return time.perf_counter() - started, report


def report_figures(seconds: float, report: ImportReport) -> dict[str, Any]:
    return {
        "seconds": round(seconds, 3),
        "rows_read": report.version.rows_read,
        "rows_rejected": report.version.rows_rejected,
        "added": report.added,
        "changed": report.changed,
        "removed": report.removed,
        "unchanged": report.unchanged,
        "features_with_issues": report.dataset.features_with_issues,
    }


def refresh_planner_statistics() -> bool:
    """Give PostgreSQL the statistics its autovacuum computes within a minute of a big import.

    Without this, whether autovacuum has run yet decides which plan the endpoint gets, and the
    figures would depend on luck. SQLite has no such daemon and the product never runs ANALYZE
    there, so its tables are measured as they are left. Returns whether statistics were taken.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return True


def _count_in(dataset: Dataset, bbox: tuple[float, float, float, float]) -> int:
    """Features the endpoint would return for `bbox`: the same filter as the view."""
    from coproduction.models import Feature

    west, south, east, north = bbox
    return Feature.objects.filter(
        dataset=dataset,
        is_removed=False,
        min_lon__lte=east,
        max_lon__gte=west,
        min_lat__lte=north,
        max_lat__gte=south,
    ).count()


def _box(lon: float, lat: float, half_height: float) -> tuple[float, float, float, float]:
    half_width = half_height * VIEWPORT_ASPECT / math.cos(math.radians(lat))
    return lon - half_width, lat - half_height, lon + half_width, lat + half_height


def calibrate_viewport(
    dataset: Dataset, lon: float, lat: float
) -> tuple[tuple[float, float, float, float], int]:
    """The viewport around (lon, lat) that holds about VIEWPORT_FEATURES features.

    The count only grows with the box, so a bisection on its half-height converges; the dense
    city centres get small boxes and the countryside large ones, as a user zooming in would.
    """
    low, high = 0.0, 3.0  # 3 degrees each way covers the whole region
    best: tuple[tuple[float, float, float, float], int] | None = None
    for _ in range(40):
        middle = (low + high) / 2
        box = _box(lon, lat, middle)
        count = _count_in(dataset, box)
        if best is None or abs(count - VIEWPORT_FEATURES) < abs(best[1] - VIEWPORT_FEATURES):
            best = (box, count)
        if abs(count - VIEWPORT_FEATURES) <= VIEWPORT_FEATURES * VIEWPORT_TOLERANCE:
            break
        if count < VIEWPORT_FEATURES:
            low = middle
        else:
            high = middle
    assert best is not None
    return best


def _get_features(client: Client, url: str, bbox: tuple[float, ...]) -> tuple[float, bytes]:
    """Milliseconds for one request through the whole Django stack, and the body."""
    query = {"bbox": ",".join(f"{v:.6f}" for v in bbox)}
    started = time.perf_counter()
    response = client.get(url, query)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return elapsed, response.content


def measure_endpoint(
    dataset: Dataset, requests: int, rng: random.Random, profile: bool, stamp: str
) -> dict[str, Any]:
    """Time `requests` calls of the visible-area endpoint, one per calibrated viewport."""
    from django.test import Client
    from django.urls import reverse

    from coproduction.models import Feature

    points = list(
        Feature.objects.filter(dataset=dataset, is_removed=False).values_list("lon", "lat")
    )
    started = time.perf_counter()
    centres = rng.choices(points, k=requests)
    viewports = [calibrate_viewport(dataset, lon, lat) for lon, lat in centres]
    calibration_seconds = time.perf_counter() - started

    client = Client(HTTP_HOST="127.0.0.1")
    url = reverse("coproduction:api-features", args=[dataset.slug])
    for box, _count in viewports[:WARMUP_REQUESTS]:
        _get_features(client, url, box)

    timings: list[float] = []
    bodies: list[bytes] = []
    with profiled(profile, "endpoint", stamp):
        for box, _count in viewports:
            elapsed, body = _get_features(client, url, box)
            timings.append(elapsed)
            bodies.append(body)

    answers = [json.loads(body) for body in bodies]
    assert not any(answer["truncated"] for answer in answers), "an answer was truncated"
    returned = [len(answer["features"]) for answer in answers]
    return {
        "requests": len(timings),
        "warmup_requests": min(WARMUP_REQUESTS, len(viewports)),
        "calibration_seconds": round(calibration_seconds, 2),
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(percentile(timings, 0.95), 3),
        "mean_ms": round(statistics.fmean(timings), 3),
        "min_ms": round(min(timings), 3),
        "max_ms": round(max(timings), 3),
        "features_per_answer_mean": round(statistics.fmean(returned), 1),
        "features_per_answer_min": min(returned),
        "features_per_answer_max": max(returned),
        "answer_bytes_mean": round(statistics.fmean(len(body) for body in bodies)),
        "viewport_half_height_deg_median": round(
            statistics.median((box[3] - box[1]) / 2 for box, _count in viewports), 5
        ),
    }


# Run ----------------------------------------------------------------------------------------


def run(args: argparse.Namespace, workdir: Path, stamp: str) -> dict[str, Any]:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from coproduction.models import Dataset

    rng = random.Random(SEED)
    first_file, second_file, generation = write_files(workdir, args.rows, rng)
    print(
        f"Generated {args.rows:,} rows ({generation['bytes'] / 1e6:.1f} MB) "
        f"in {generation['seconds']} s",
        flush=True,
    )

    with profiled(args.profile, "import", stamp):
        seconds, report = timed_import(first_file, PROFILE)
    first_import = report_figures(seconds, report)
    print(f"Import: {seconds:.2f} s ({report.summary()})", flush=True)

    seconds, report = timed_import(second_file, PROFILE)
    reimport = report_figures(seconds, report)
    print(
        f"Re-import with {CHANGED_SHARE:.0%} of rows changed: {seconds:.2f} s ({report.summary()})",
        flush=True,
    )

    dataset = Dataset.objects.get(slug=SLUG)
    analyzed = refresh_planner_statistics()
    endpoint = measure_endpoint(dataset, args.requests, rng, args.profile, stamp)
    print(
        f"Endpoint: median {endpoint['median_ms']} ms over {endpoint['requests']} requests",
        flush=True,
    )

    return {
        "timestamp": stamp,
        "code_version": code_version(),
        "database": database_description(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "profiled": args.profile,
        # The machine may be shared: read the timings with the load it was under.
        "load_average_1min": {"start": args.load_at_start, "end": os.getloadavg()[0]},
        "planner_statistics_refreshed": analyzed,
        "rows": args.rows,
        "seed": SEED,
        "generation": generation,
        "import": first_import,
        "reimport": reimport,
        "endpoint": endpoint,
        # ru_maxrss is in kilobytes on Linux: the import holds the whole file in memory.
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "targets": {
            "import_seconds": IMPORT_TARGET_S,
            "endpoint_median_ms": ENDPOINT_TARGET_MS,
            "import_pass": first_import["seconds"] < IMPORT_TARGET_S,
            "endpoint_pass": endpoint["median_ms"] < ENDPOINT_TARGET_MS,
        },
    }


def print_summary(results: dict[str, Any]) -> None:
    targets, endpoint = results["targets"], results["endpoint"]

    def verdict(passed: bool) -> str:
        return "n/a (profiled)" if results["profiled"] else ("PASS" if passed else "FAIL")

    rows = [
        (
            f"Import, {results['rows']:,} rows",
            f"{results['import']['seconds']:.2f} s",
            f"< {IMPORT_TARGET_S:g} s",
            verdict(targets["import_pass"]),
        ),
        (
            f"Visible-area endpoint, median of {endpoint['requests']}",
            f"{endpoint['median_ms']:.2f} ms",
            f"< {ENDPOINT_TARGET_MS:g} ms",
            verdict(targets["endpoint_pass"]),
        ),
        ("Re-import, 1% of rows changed", f"{results['reimport']['seconds']:.2f} s", "-", "-"),
        ("Endpoint p95", f"{endpoint['p95_ms']:.2f} ms", "-", "-"),
        ("Endpoint mean", f"{endpoint['mean_ms']:.2f} ms", "-", "-"),
        ("Endpoint min / max", f"{endpoint['min_ms']:.2f} / {endpoint['max_ms']:.2f} ms", "-", "-"),
        (
            "Features per answer (mean, min-max)",
            f"{endpoint['features_per_answer_mean']:.0f} "
            f"({endpoint['features_per_answer_min']}-{endpoint['features_per_answer_max']})",
            "~1,000",
            "-",
        ),
        ("Answer size (mean)", f"{endpoint['answer_bytes_mean'] / 1024:.0f} KiB", "-", "-"),
        ("Peak memory of the process", f"{results['peak_memory_mb']} MB", "-", "-"),
    ]
    widths = [
        max(len(str(row[i])) for row in rows + [("Measure", "Value", "Target", "Result")])
        for i in range(4)
    ]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    load = results["load_average_1min"]
    print(
        f"\nCarte Commune foundation benchmark, {results['database']}, "
        f"Python {results['python']}, Django {results['django']}, {results['machine']}, "
        f"load average {load['start']:.2f} at start, {load['end']:.2f} at end"
    )
    print(line.format("Measure", "Value", "Target", "Result"))
    print(line.format(*("-" * w for w in widths)))
    for row in rows:
        print(line.format(*row))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the generated CSV")
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="timed requests of the visible-area endpoint (one per viewport)",
    )
    parser.add_argument(
        "--database-url",
        default=None,
        help="run on PostgreSQL, e.g. "
        "postgres://postgres@127.0.0.1:5432/cartecommune_bench (the "
        "database is created, then dropped; its name must contain 'bench')",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the first import and the timed requests under cProfile and "
        "print their top functions (the timings are then not comparable "
        "to the targets)",
    )
    args = parser.parse_args(argv)
    if args.rows < VIEWPORT_FEATURES * 2 or args.requests < 1:
        parser.error(f"--rows must be at least {VIEWPORT_FEATURES * 2}, --requests at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_at_start = os.getloadavg()[0]
    sys.path.insert(0, str(ROOT))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    with tempfile.TemporaryDirectory(prefix="carte-bench-") as tmp:
        workdir = Path(tmp)
        configure_environment(workdir, args.database_url)
        database = postgres_database(args.database_url)
        with database:
            results = run(args, workdir, stamp)
            from django.db import connections

            connections.close_all()

    print_summary(results)
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    output = OUTPUT_DIR / f"foundation-{stamp}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {output.relative_to(ROOT)}")
    targets = results["targets"]
    return 0 if targets["import_pass"] and targets["endpoint_pass"] else 1


if __name__ == "__main__":
    sys.exit(main())
