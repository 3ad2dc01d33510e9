"""What the simulated contributors propose: the mix of a workshop (attribute fixes, comments,
moves of a few metres, closures) on real places of the demonstration dataset."""

from __future__ import annotations

import math
import random
import uuid
from dataclasses import dataclass
from typing import Any

# The mix of a workshop: mostly attribute fixes and comments, some moves, a few closures.
KIND_WEIGHTS = {"attributes": 0.45, "comment": 0.25, "move": 0.18, "closed": 0.12}
DATASET_SLUG = "lieux-inclusion-numerique"
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
