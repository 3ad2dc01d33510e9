"""The generated portal file of the foundation benchmark: public places over the region, with
the faults real portal files have (4-digit postcodes, decimal commas, swapped coordinates,
opening hours in free text), from a fixed seed so that every run measures the same file."""

from __future__ import annotations

import csv
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# West, south, east, north: Provence-Alpes-Côte d'Azur, as the product's REGION_BBOX default.
REGION_BBOX = (4.2, 42.9, 7.8, 45.2)
# Share of the rows the second file changes (the re-import measure).
CHANGED_SHARE = 0.01

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
