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
import csv
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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench_common import database_description, postgres_database

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
CHANGED_SHARE = 0.01
SEED = 20260601
SLUG = "bench-lieux"

# West, south, east, north: Provence-Alpes-Côte d'Azur, as the product's REGION_BBOX default.
REGION_BBOX = (4.2, 42.9, 7.8, 45.2)

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
COLUMNS = [
    "id",
    "nom",
    "adresse",
    "code_postal",
    "commune",
    "latitude",
    "longitude",
    "telephone",
    "site_web",
    "horaires",
]


@dataclass(frozen=True)
class Town:
    name: str
    lon: float
    lat: float
    postcodes: tuple[str, ...]
    weight: float
    spread: float  # standard deviation of the positions around the centre, in degrees


# Real data is dense in the big cities, thinner in the towns, sparse in the countryside.
CITIES = (
    Town("Marseille", 5.3698, 43.2965, tuple(f"130{n:02d}" for n in range(1, 17)), 0.30, 0.045),
    Town("Nice", 7.2620, 43.7102, ("06000", "06100", "06200", "06300"), 0.14, 0.030),
    Town("Toulon", 5.9280, 43.1242, ("83000", "83100", "83200"), 0.10, 0.030),
    Town("Aix-en-Provence", 5.4474, 43.5297, ("13090", "13100", "13290", "13540"), 0.09, 0.035),
    Town("Avignon", 4.8057, 43.9493, ("84000", "84140"), 0.07, 0.030),
)
TOWNS = (
    Town("Cannes", 7.0174, 43.5528, ("06400", "06150"), 0.03, 0.02),
    Town("Antibes", 7.1251, 43.5808, ("06600", "06160"), 0.02, 0.02),
    Town("Grasse", 6.9237, 43.6589, ("06130",), 0.01, 0.02),
    Town("Menton", 7.4976, 43.7745, ("06500",), 0.01, 0.01),
    Town("Fréjus", 6.7370, 43.4331, ("83600",), 0.01, 0.02),
    Town("Draguignan", 6.4640, 43.5367, ("83300",), 0.01, 0.02),
    Town("Hyères", 6.1286, 43.1204, ("83400",), 0.01, 0.02),
    Town("Arles", 4.6278, 43.6766, ("13200",), 0.01, 0.03),
    Town("Martigues", 5.0547, 43.4053, ("13500",), 0.01, 0.02),
    Town("Orange", 4.8089, 44.1381, ("84100",), 0.01, 0.02),
    Town("Carpentras", 5.0481, 44.0550, ("84200",), 0.01, 0.02),
    Town("Manosque", 5.7909, 43.8283, ("04100",), 0.01, 0.02),
    Town("Digne-les-Bains", 6.2355, 44.0925, ("04000",), 0.01, 0.02),
    Town("Gap", 6.0794, 44.5594, ("05000",), 0.01, 0.02),
    Town("Briançon", 6.6436, 44.8986, ("05100",), 0.005, 0.015),
    Town("Sisteron", 5.9436, 44.1953, ("04200",), 0.005, 0.015),
)
# The rest of the rows are spread evenly over the region, attached to the nearest town.
COUNTRYSIDE_SHARE = 1.0 - sum(t.weight for t in CITIES + TOWNS)

PLACE_TYPES = (
    "Médiathèque",
    "Espace France Services",
    "Centre social",
    "Maison de santé",
    "Pharmacie",
    "École élémentaire",
    "Mairie annexe",
    "Bureau de poste",
    "Point numérique",
    "Crèche",
    "Gymnase",
    "Café associatif",
    "Fablab",
    "Maison des associations",
    "Épicerie solidaire",
)
PATRONS = (
    "Jean Jaurès",
    "Victor Hugo",
    "Frédéric Mistral",
    "Marcel Pagnol",
    "Paul Cézanne",
    "Émile Zola",
    "Louise Michel",
    "Simone Veil",
    "des Oliviers",
    "du Vieux-Port",
    "de la Gare",
    "des Calanques",
    "Saint-Michel",
    "Sainte-Marguerite",
    "du Château",
    "des Lavandes",
)
STREET_TYPES = ("rue", "avenue", "boulevard", "place", "chemin", "impasse", "cours", "traverse")
STREET_NAMES = (
    "de la République",
    "Jean Jaurès",
    "du Général de Gaulle",
    "des Écoles",
    "de la Liberté",
    "Gambetta",
    "Pasteur",
    "des Oliviers",
    "du Moulin",
    "de Provence",
    "Victor Hugo",
    "de la Canebière",
    "des Pénitents",
    "Sainte-Anne",
    "du Prado",
    "Garibaldi",
)
OSM_HOURS = (
    "Mo-Fr 09:00-12:00,14:00-18:00",
    "Mo-Fr 08:30-17:30; Sa 09:00-12:00",
    "Tu-Sa 10:00-19:00",
    "Mo-Su 08:00-20:00",
    "Mo,Tu,Th,Fr 09:00-12:00,13:30-17:00; We 09:00-12:00",
    "Mo-Fr 09:00-17:00; PH off",
    "24/7",
)
FREE_TEXT_HOURS = (
    "du lundi au vendredi de 9h à 17h",
    "Lundi-Vendredi : 9h-12h / 14h-18h",
    "sur rendez-vous",
    "Fermé le dimanche",
    "mardi et jeudi matin",
    "9h-12h et 14h-17h sauf mercredi",
    "Horaires d’été : 8h-13h",
)


# Data ---------------------------------------------------------------------------------------


def _weighted_town(rng: random.Random) -> Town | None:
    """A town picked by weight, or None for a countryside point."""
    draw = rng.random()
    for town in CITIES + TOWNS:
        if draw < town.weight:
            return town
        draw -= town.weight
    return None


def _nearest_town(lon: float, lat: float) -> Town:
    return min(CITIES + TOWNS, key=lambda t: (t.lon - lon) ** 2 + (t.lat - lat) ** 2)


def _position(rng: random.Random) -> tuple[float, float, Town]:
    west, south, east, north = REGION_BBOX
    town = _weighted_town(rng)
    if town is None:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        return lon, lat, _nearest_town(lon, lat)
    lon = min(max(rng.gauss(town.lon, town.spread * 1.3), west), east)
    lat = min(max(rng.gauss(town.lat, town.spread), south), north)
    return lon, lat, town


def _coordinate(rng: random.Random, value: float) -> str:
    """Six decimals, as portals write them; one in twelve with a French decimal comma."""
    text = f"{value:.6f}"
    return text.replace(".", ",") if rng.random() < 1 / 12 else text


def _postcode(rng: random.Random, town: Town) -> str:
    """Spreadsheet exports drop the leading zero of 04, 05 and 06 postcodes; some are empty."""
    draw = rng.random()
    if draw < 0.005:
        return ""
    code = rng.choice(town.postcodes)
    if code.startswith("0") and draw < 0.35:
        return code[1:]
    return code


def _phone(rng: random.Random) -> str:
    draw = rng.random()
    digits = " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
    if draw < 0.12:
        return ""
    if draw < 0.22:
        return f"+33 4 {rng.randint(86, 94)} {digits[3:]}"
    if draw < 0.28:
        return f"06 {digits}"
    if draw < 0.31:
        return f"04 {rng.randint(86, 94)} {digits[:5]}"  # a digit pair missing: invalid
    return f"04 {rng.randint(86, 94)} {digits[3:]}"


def _website(rng: random.Random, name: str, index: int) -> str:
    draw = rng.random()
    slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:20]
    if draw < 0.5:
        return ""
    if draw < 0.85:
        return f"https://www.{slug}-{index}.fr"
    if draw < 0.95:
        return f"www.{slug}-{index}.fr"  # no scheme: flagged as invalid
    return f"http://{slug}{index}.e-monsite.com/accueil"


def _hours(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.40:
        return rng.choice(OSM_HOURS)
    if draw < 0.75:
        return rng.choice(FREE_TEXT_HOURS)
    return ""


def generate_rows(count: int, rng: random.Random) -> list[list[str]]:
    """`count` rows of a plausible regional file of public places, columns as in COLUMNS."""
    rows = []
    for index in range(1, count + 1):
        lon, lat, town = _position(rng)
        name = f"{rng.choice(PLACE_TYPES)} {rng.choice(PATRONS)}"
        latitude, longitude = _coordinate(rng, lat), _coordinate(rng, lon)
        if rng.random() < 0.002:  # a classic portal error: the two columns swapped
            latitude, longitude = longitude, latitude
        rows.append(
            [
                f"PACA-{index:06d}",
                name,
                f"{rng.randint(1, 250)} {rng.choice(STREET_TYPES)} {rng.choice(STREET_NAMES)}",
                _postcode(rng, town),
                town.name,
                latitude,
                longitude,
                _phone(rng),
                _website(rng, name, index),
                _hours(rng),
            ]
        )
    return rows


def change_some_rows(rows: list[list[str]], rng: random.Random) -> list[list[str]]:
    """A copy of `rows` where CHANGED_SHARE of them were edited, as the next publication of a
    file would be: new opening hours, a new phone number, a renamed place or a moved point."""
    changed = [list(row) for row in rows]
    picked = rng.sample(range(len(changed)), max(1, round(len(changed) * CHANGED_SHARE)))
    for position, index in enumerate(picked):
        row = changed[index]
        edit = position % 4
        if edit == 0:
            row[9] = rng.choice([hours for hours in OSM_HOURS if hours != row[9]])
        elif edit == 1:
            row[7] = f"04 {rng.randint(86, 94)} 00 00 {rng.randrange(100):02d}"
        elif edit == 2:
            row[1] = f"{row[1]} (nouveau nom)"
        else:
            latitude = float(row[5].replace(",", "."))
            row[5] = f"{latitude + 0.0005:.6f}"
    return changed


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """UTF-8, `;`-separated, CRLF line ends: what French portals publish."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def write_files(workdir: Path, count: int, rng: random.Random) -> tuple[Path, Path, dict[str, Any]]:
    """The file to import and its next publication, with how long they took to make.

    The rows are dropped once written, so that the peak memory reported is the import's.
    """
    started = time.perf_counter()
    rows = generate_rows(count, rng)
    first, second = workdir / "lieux.csv", workdir / "lieux-v2.csv"
    write_csv(first, rows)
    write_csv(second, change_some_rows(rows, rng))
    generation = {
        "seconds": round(time.perf_counter() - started, 2),
        "bytes": first.stat().st_size,
    }
    return first, second, generation


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


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


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
        "p95_ms": round(_percentile(timings, 0.95), 3),
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
