"""Quality of the matching engine on labelled data built from the shipped OSM extracts.

For each extract (Monaco, Liechtenstein, Andorra) and each kind of place (restaurants,
hotels, schools…), a portal-like dataset is derived from the named OSM objects, with the
defects real portal files have: positions off by a few to a few hundred metres, names
abbreviated ("St", initials), accents or case lost, the kind of place added to or dropped from
the name, typos, phone numbers in another format, places missing on either side (some OSM
objects left out, some places OSM does not have added near real ones of the same kind). The
truth is known, so the precision and recall of `matched` can be measured.

    .venv/bin/python benchmarks/osm_quality.py [--seed N]

Targets: precision >= 0.98, recall >= 0.95. Results go to benchmarks/output/.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from osm_common import EXTRACTS_DIR, setup_django, verdict, write_results  # noqa: E402

PRECISION_TARGET = 0.98
RECALL_TARGET = 0.95
MAX_DISTANCE_M = 300
EXTRACTS = ("monaco-latest.osm.pbf", "liechtenstein-2013-08-03.osm.pbf", "andorra-2019.osm.pbf")
LEFT_OUT_SHARE = 0.10  # OSM objects the portal does not list
INVENTED_SHARE = 0.08  # portal places OSM does not have, set near real ones


@dataclass(frozen=True)
class Kind:
    slug: str
    filters: tuple[dict[str, str], ...]
    label: str


KINDS = (
    Kind("restaurants", ({"amenity": "restaurant"},), "Restaurant"),
    Kind("hotels", ({"tourism": "hotel"},), "Hôtel"),
    Kind("ecoles", ({"amenity": "school"},), "École"),
    Kind("pharmacies", ({"amenity": "pharmacy"},), "Pharmacie"),
    Kind("cafes", ({"amenity": "cafe"}, {"amenity": "bar"}), "Café"),
    Kind("supermarches", ({"shop": "supermarket"},), "Supermarché"),
    Kind("banques", ({"amenity": "bank"},), "Banque"),
    Kind("cultes", ({"amenity": "place_of_worship"},), "Église"),
)
INVENTED_NAMES = (
    "Chez Marcel",
    "Le Petit Zinc",
    "Les Oliviers",
    "La Bonne Étoile",
    "Du Soleil Levant",
    "Saint-Exupéry",
    "Les Trois Collines",
    "Le Vieux Moulin",
    "La Fontaine Bleue",
    "Jean-Baptiste Clément",
    "Les Cigales",
    "Bellevue",
    "Le Relais du Col",
    "Aux Délices",
)


def displaced(lon: float, lat: float, rng: random.Random) -> tuple[float, float]:
    """A position off by what portal geocoding does: mostly metres, sometimes hundreds."""
    draw = rng.random()
    if draw < 0.5:
        distance = rng.uniform(0, 15)
    elif draw < 0.8:
        distance = rng.uniform(15, 60)
    elif draw < 0.95:
        distance = rng.uniform(60, 150)
    else:
        distance = rng.uniform(150, 260)
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = distance * math.cos(bearing) / 111_195
    dlon = distance * math.sin(bearing) / (111_195 * math.cos(math.radians(lat)))
    return lon + dlon, lat + dlat


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def damaged_name(name: str, label: str, rng: random.Random) -> str:
    """The name as a portal file might write it."""
    if rng.random() < 0.3:
        name = strip_accents(name)
    if rng.random() < 0.5:
        name = name.replace("Saint-", "St ").replace("Sainte-", "Ste ").replace("Saint ", "St ")
    words = name.split()
    if len(words) >= 3 and rng.random() < 0.15:
        index = rng.randrange(len(words) - 1)
        if words[index][:1].isupper() and len(words[index]) > 2:
            words[index] = words[index][0] + "."
        name = " ".join(words)
    if name.lower().startswith(label.lower()) and rng.random() < 0.5:
        name = name[len(label) :].strip() or name
    elif rng.random() < 0.3:
        name = f"{label} {name}"
    if rng.random() < 0.08 and len(name) > 6:
        i = rng.randrange(1, len(name) - 2)
        name = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    draw = rng.random()
    if draw < 0.2:
        name = name.upper()
    elif draw < 0.3:
        name = name.lower()
    return name.replace("-", " ") if rng.random() < 0.3 else name


def portal_phone(phone: str, rng: random.Random) -> str:
    import phonenumbers

    if not phone or rng.random() < 0.3:
        return phone
    try:
        number = phonenumbers.parse(phone.split(";")[0], "FR")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def build_dataset(kind: Kind, objects: list, rng: random.Random):
    """CSV text of the portal-like dataset, and the truth: feature id -> OSM ref or None."""
    rows, truth = [], {}
    named = [obj for obj in objects if obj.tags.get("name")]
    for obj in named:
        if rng.random() < LEFT_OUT_SHARE:
            continue
        key = f"{kind.slug}-{len(rows) + 1}"
        lon, lat = displaced(obj.lon, obj.lat, rng)
        name = damaged_name(obj.tags["name"], kind.label, rng)
        rows.append(
            [key, name, f"{lat:.6f}", f"{lon:.6f}", portal_phone(obj.tags.get("phone", ""), rng)]
        )
        truth[key] = obj.ref
    for _ in range(max(1, round(len(named) * INVENTED_SHARE)) if named else 0):
        near = rng.choice(named)
        bearing, distance = rng.uniform(0, 2 * math.pi), rng.uniform(40, 200)
        lat = near.lat + distance * math.cos(bearing) / 111_195
        lon = near.lon + distance * math.sin(bearing) / (111_195 * math.cos(math.radians(lat)))
        key = f"{kind.slug}-{len(rows) + 1}"
        name = f"{kind.label} {rng.choice(INVENTED_NAMES)}"
        rows.append([key, name, f"{lat:.6f}", f"{lon:.6f}", ""])
        truth[key] = None
    rng.shuffle(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "nom", "lat", "lon", "telephone"])
    writer.writerows(rows)
    return buffer.getvalue(), truth


def profile_for(kind: Kind) -> dict:
    return {
        "title": kind.label,
        "id_field": "id",
        "name_field": "nom",
        "geometry": {"lat": "lat", "lon": "lon"},
        "fields": {"telephone": {"type": "phone"}},
        "osm": {
            "filters": [dict(f) for f in kind.filters],
            "tags": {"nom": "name", "telephone": "phone"},
            "max_distance_m": MAX_DISTANCE_M,
        },
    }


def evaluate(outcomes, truth: dict[str, str | None]) -> dict:
    matched = {o.key: o.osm for o in outcomes if o.key and o.status == "matched"}
    correct = sum(1 for key, ref in matched.items() if truth.get(key) == ref)
    expected = sum(1 for ref in truth.values() if ref)
    errors = [
        {"id": o.key, "status": o.status, "osm": o.osm, "truth": truth.get(o.key), "why": o.reasons}
        for o in outcomes
        if o.key and (o.osm if o.status == "matched" else None) != truth.get(o.key)
    ]
    return {"matched": len(matched), "correct": correct, "expected": expected, "errors": errors}


def run(seed: int) -> dict:
    from coproduction.importing.sources import SourceFile
    from coproduction.profiles import DatasetProfile
    from coproduction.services.importer import import_dataset
    from osm_sync.matching.places import OsmCandidate
    from osm_sync.services.reconciliation import reconcile_dataset
    from osm_sync.services.snapshot_loader import load_snapshot
    from osm_sync.tag_filters import TagFilterSet

    rng = random.Random(seed)
    all_filters = TagFilterSet.from_json([dict(f) for kind in KINDS for f in kind.filters])
    per_dataset, totals = [], {"matched": 0, "correct": 0, "expected": 0}
    started = time.perf_counter()
    for extract in EXTRACTS:
        snapshot = load_snapshot(EXTRACTS_DIR / extract, all_filters).snapshot
        for kind in KINDS:
            filters = TagFilterSet.from_json([dict(f) for f in kind.filters])
            objects = [
                OsmCandidate(o.ref, o.tags, o.geometry, o.lon, o.lat, (0, 0, 0, 0))
                for o in snapshot.osm_objects.order_by("osm_type", "osm_id")
                if filters.matches(o.tags)
            ]
            text, truth = build_dataset(kind, objects, rng)
            if not truth:
                continue
            slug = f"{extract.split('-')[0]}-{kind.slug}"
            profile = DatasetProfile.from_dict(profile_for(kind))
            dataset = import_dataset(
                SourceFile(f"{slug}.csv", text.encode()), slug, profile=profile
            ).dataset
            result = reconcile_dataset(dataset).result
            figures = evaluate(result.outcomes, truth)
            per_dataset.append({"dataset": slug, **figures})
            for name in totals:
                totals[name] += figures[name]
    precision = totals["correct"] / totals["matched"] if totals["matched"] else 0.0
    recall = totals["correct"] / totals["expected"] if totals["expected"] else 0.0
    return {
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 2),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "targets": {"precision": PRECISION_TARGET, "recall": RECALL_TARGET},
        "passed": precision >= PRECISION_TARGET and recall >= RECALL_TARGET,
        **totals,
        "datasets": per_dataset,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20260601)
    parser.add_argument("--show-errors", action="store_true", help="print every mistake")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="osm-quality-") as workdir:
        setup_django(Path(workdir))
        results = run(args.seed)
    path = write_results("osm-quality", results)
    print(
        f"{results['expected']} places to find in {len(results['datasets'])} datasets: "
        f"{results['matched']} matched, {results['correct']} correctly."
    )
    print(
        f"precision {results['precision']:.3f} (target {PRECISION_TARGET}) "
        f"{verdict(results['precision'] >= PRECISION_TARGET)}"
    )
    print(
        f"recall    {results['recall']:.3f} (target {RECALL_TARGET}) "
        f"{verdict(results['recall'] >= RECALL_TARGET)}"
    )
    if args.show_errors:
        for dataset in results["datasets"]:
            for error in dataset["errors"]:
                print(dataset["dataset"], error)
    print(f"results: {path}")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
