"""Generated data for benchmarks/osm_speed.py: an OSM extract, and a snapshot plus a dataset
for the reconciliation. Deterministic (fixed seeds), so that runs compare."""

from __future__ import annotations

import csv
import io
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20260601
METRES_PER_DEGREE = 111_195.0

# (lon, lat, spread in degrees, weight): dense cities, thinner towns, like the real region.
TOWNS = (
    (5.3698, 43.2965, 0.045, 0.30),
    (7.2620, 43.7102, 0.030, 0.14),
    (5.9280, 43.1242, 0.030, 0.10),
    (5.4474, 43.5297, 0.035, 0.09),
    (4.8057, 43.9493, 0.030, 0.07),
    (7.0174, 43.5528, 0.020, 0.05),
    (6.0794, 44.5594, 0.020, 0.03),
    (5.0481, 44.0550, 0.020, 0.03),
)
REGION = (4.2, 42.9, 7.8, 45.2)
COUNTRYSIDE = 1.0 - sum(town[3] for town in TOWNS)

# Tags of points of interest, by weight; a small share matches the shipped profiles.
POI_TAGS = (
    ({"addr:housenumber": "12", "addr:street": "Rue de la République"}, 40),
    ({"amenity": "bench"}, 8),
    ({"amenity": "restaurant", "name": "Chez Marius"}, 8),
    ({"shop": "bakery", "name": "Boulangerie du Port"}, 6),
    ({"amenity": "parking"}, 6),
    ({"natural": "tree"}, 10),
    ({"highway": "street_lamp"}, 8),
    ({"amenity": "cafe", "name": "Café de la Gare"}, 5),
    ({"amenity": "school", "name": "École Jean Jaurès"}, 1.0),
    ({"amenity": "cinema", "name": "Cinéma Le Rex"}, 0.2),
    ({"amenity": "internet_cafe", "name": "Cyber Espace"}, 0.1),
    ({"amenity": "library", "internet_access": "terminal", "name": "Médiathèque"}, 0.3),
    ({"office": "association", "internet_access": "wlan", "name": "EPN"}, 0.2),
    ({"office": "association", "name": "Amicale"}, 1.0),
)


def _position(rng: random.Random) -> tuple[float, float]:
    draw = rng.random()
    for lon, lat, spread, weight in TOWNS:
        if draw < weight:
            return rng.gauss(lon, spread), rng.gauss(lat, spread)
        draw -= weight
    return rng.uniform(REGION[0], REGION[2]), rng.uniform(REGION[1], REGION[3])


def _offset(lon: float, lat: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    scale = METRES_PER_DEGREE * math.cos(math.radians(lat))
    return lon + dx_m / scale, lat + dy_m / METRES_PER_DEGREE


def generate_extract(path: Path, node_target: int) -> dict[str, int]:
    """Write a PBF of about `node_target` nodes; return what it holds."""
    import osmium
    from osmium.osm.mutable import Node, Relation, Way

    rng = random.Random(SEED)
    poi_tags, poi_weights = zip(*POI_TAGS, strict=True)
    header = osmium.io.Header()
    header.set("generator", "carte-commune benchmark")
    header.set("osmosis_replication_timestamp", "2026-01-01T00:00:00Z")
    base = datetime(2024, 1, 1, tzinfo=UTC)
    meta = {"version": 1, "changeset": 1, "uid": 1, "user": "bench"}
    writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
    ways: list[tuple[int, int, int]] = []  # (first node id, node count, kind)
    node_id = 1
    tagged = 0

    def node(lon: float, lat: float, tags: dict | None = None) -> None:
        nonlocal node_id
        stamp = base + timedelta(seconds=node_id % 10_000_000)
        writer.add_node(
            Node(id=node_id, location=(lon, lat), tags=tags or {}, timestamp=stamp, **meta)
        )
        node_id += 1

    while node_id <= node_target:
        lon, lat = _position(rng)
        draw = rng.random()
        if draw < 0.55:  # building: 4 corners, closed
            size = rng.uniform(8, 25)
            first = node_id
            for dx, dy in ((0, 0), (size, 0), (size, size), (0, size)):
                node(*_offset(lon, lat, dx, dy))
            ways.append((first, 4, 0))
        elif draw < 0.75:  # street: a line of 8 nodes
            first = node_id
            heading = rng.uniform(0, 2 * math.pi)
            for step in range(8):
                node(
                    *_offset(lon, lat, 30 * step * math.cos(heading), 30 * step * math.sin(heading))
                )
            ways.append((first, 8, 1))
        elif draw < 0.78:  # land use: 12 nodes around a circle, closed
            first = node_id
            radius = rng.uniform(50, 300)
            for step in range(12):
                angle = step * math.pi / 6
                node(*_offset(lon, lat, radius * math.cos(angle), radius * math.sin(angle)))
            ways.append((first, 12, 2))
        elif rng.random() < 0.35:
            node(lon, lat, rng.choices(poi_tags, poi_weights)[0])
            tagged += 1
        else:
            node(lon, lat)
    way_tags = (
        {"building": "yes"},
        {"highway": "residential", "name": "Rue Victor Hugo"},
        {"landuse": "residential"},
    )
    relations = []
    for way_id, (first, count, kind) in enumerate(ways, start=1):
        refs = list(range(first, first + count))
        if kind != 1:
            refs.append(first)
        tags = way_tags[kind]
        if kind == 0 and way_id % 300 == 0:
            tags = {"building": "school", "amenity": "school", "name": "Collège Pasteur"}
        elif kind == 2 and way_id % 500 == 0:
            relations.append(way_id)
            tags = {}
        writer.add_way(Way(id=way_id, nodes=refs, tags=tags, timestamp=base, **meta))
    for relation_id, way_id in enumerate(relations, start=1):
        writer.add_relation(
            Relation(
                id=relation_id,
                members=[("w", way_id, "outer")],
                tags={"type": "multipolygon", "amenity": "school", "name": "Lycée Mistral"},
                timestamp=base,
                **meta,
            )
        )
    writer.close()
    return {
        "nodes": node_id - 1,
        "tagged_nodes": tagged,
        "ways": len(ways),
        "relations": len(relations),
    }


PLACE_TYPES = (
    "Médiathèque",
    "Espace France Services",
    "Centre social",
    "Point numérique",
    "Maison des associations",
    "Fablab",
    "Café associatif",
    "EPN",
    "Tiers-lieu",
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
    "Pablo Neruda",
    "Jules Ferry",
    "Albert Camus",
    "Marie Curie",
)
PROFILE = {
    "title": "Lieux de médiation (banc d’essai)",
    "id_field": "id",
    "name_field": "nom",
    "geometry": {"lat": "latitude", "lon": "longitude"},
    "fields": {"telephone": {"type": "phone"}, "site_web": {"type": "url"}},
    "osm": {
        "filters": [{"amenity": "community_centre"}, {"internet_access": "terminal"}],
        "tags": {"nom": "name", "telephone": "phone", "site_web": "website"},
        "max_distance_m": 200,
    },
}


def make_candidates(count: int) -> tuple[dict, list[tuple[str, float, float, str]]]:
    """Store a current snapshot of `count` OSM objects (a fifth of them polygons) matching
    PROFILE's filters; return PROFILE and (name, lon, lat, phone) of each object."""
    from osm_sync.geometry import columns_for
    from osm_sync.models import OsmObject, OsmSnapshot

    rng = random.Random(SEED + 1)
    OsmSnapshot.objects.all().delete()
    snapshot = OsmSnapshot.objects.create(
        source_name="generated", is_current=True, filters=PROFILE["osm"]["filters"]
    )
    described, batch = [], []
    for index in range(count):
        lon, lat = _position(rng)
        name = f"{rng.choice(PLACE_TYPES)} {rng.choice(PATRONS)}"
        phone = f"04 9{rng.randrange(10)} {rng.randrange(100):02d} {rng.randrange(100):02d} 00"
        tags = {"amenity": "community_centre", "name": name, "phone": phone}
        if index % 5 == 0:
            size = rng.uniform(20, 60)
            ring = [
                list(_offset(lon, lat, dx, dy))
                for dx, dy in ((0, 0), (size, 0), (size, size), (0, size), (0, 0))
            ]
            geometry, kind = {"type": "Polygon", "coordinates": [ring]}, "way"
        else:
            geometry, kind = {"type": "Point", "coordinates": [lon, lat]}, "node"
        columns = columns_for(geometry)
        batch.append(
            OsmObject(
                snapshot=snapshot,
                osm_type=kind,
                osm_id=index + 1,
                version=1,
                tags=tags,
                **columns.as_fields(),
            )
        )
        described.append((name, columns.lon, columns.lat, phone))
        if len(batch) >= 5000:
            OsmObject.objects.bulk_create(batch)
            batch = []
    OsmObject.objects.bulk_create(batch)
    return PROFILE, described


def make_dataset_csv(candidates: list[tuple[str, float, float, str]], count: int) -> str:
    """A dataset of `count` places: four in five taken from the candidates (moved, renamed a
    little), the rest invented near them."""
    rng = random.Random(SEED + 2)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "nom", "latitude", "longitude", "telephone", "site_web"])
    sample = rng.sample(candidates, count)
    for index, (name, lon, lat, phone) in enumerate(sample):
        distance, bearing = rng.uniform(0, 150), rng.uniform(0, 2 * math.pi)
        lon, lat = _offset(lon, lat, distance * math.cos(bearing), distance * math.sin(bearing))
        if index % 5 == 4:
            name, phone = f"{rng.choice(PLACE_TYPES)} {rng.choice(PATRONS)} annexe", ""
        elif rng.random() < 0.3:
            name = name.upper().replace("SAINT-", "ST ")
        writer.writerow([f"L{index}", name, f"{lat:.6f}", f"{lon:.6f}", phone, ""])
    return buffer.getvalue()
