"""What the OpenStreetMap benchmarks share: a throw-away database, the shipped extracts, and
the JSON results file.

Each benchmark runs against its own temporary SQLite database (SQLITE_PATH and CARTE_VAR_DIR
point into a temporary folder before Django starts), so that the developer's data is never
touched and the figures do not depend on it.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_DIR = ROOT / "benchmarks" / "output"
EXTRACTS_DIR = ROOT / "tests" / "osm_sync" / "data"

ENV_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "0",
    "LOG_LEVEL": "WARNING",
    # The benchmark datasets lie outside the region: no "outside the region" flags needed.
    "CARTE_REGION_BBOX": "-180,-90,180,90",
}


def setup_django(workdir: Path) -> None:
    """Point Django at a fresh SQLite database in `workdir`, start it, and migrate."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.update(ENV_DEFAULTS)
    os.environ.pop("DATABASE_URL", None)
    os.environ["CARTE_VAR_DIR"] = str(workdir)
    os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def write_results(name: str, results: dict[str, Any]) -> Path:
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    results = {
        "benchmark": name,
        "run_at": stamp,
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU",
        **results,
    }
    path = OUTPUT_DIR / f"{name}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def verdict(passed: bool) -> str:
    return "OK" if passed else "ÉCHEC"
