"""French-aware comparison of place names.

Portal files and OSM name the same place differently: accents lost in an encoding round trip,
"St" for "Saint", the kind of place spelt out or not ("Lycée", "Médiathèque", "EPN"). Names are
compared once normalised: lower case, no accents, abbreviations expanded, generic words and
articles dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz import fuzz

ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
    "av": "avenue",
    "bd": "boulevard",
    "mgr": "monseigneur",
    "pdt": "president",
}
# Words that say what kind of place it is, which the dataset's profile already says.
GENERIC_WORDS = {
    "lycee",
    "lycees",
    "college",
    "ecole",
    "ecoles",
    "mediatheque",
    "bibliotheque",
    "epn",
    "cinema",
    "cinemas",
    "cine",
    "espace",
    "public",
    "publique",
    "numerique",
    "municipal",
    "municipale",
}
STOP_WORDS = {"le", "la", "les", "de", "du", "des", "l", "d", "et", "a", "au", "aux", "en"}
_SEPARATORS = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """The words that identify the place, in a comparable form ("" when there are none)."""
    if not name:
        return ""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = [ABBREVIATIONS.get(word, word) for word in _SEPARATORS.split(text) if word]
    meaningful = [word for word in words if word not in GENERIC_WORDS and word not in STOP_WORDS]
    if not meaningful:
        # "École", "Médiathèque": the generic word is all the name there is.
        meaningful = [word for word in words if word not in STOP_WORDS] or words
    return " ".join(meaningful)


def name_similarity(left: str, right: str) -> float | None:
    """Similarity of two normalised names, 0 to 1; None when either is unknown.

    Word order does not matter, and a name that is a part of the other ("Saint-Charles" in
    "Saint-Charles annexe") scores high but below an identical name.
    """
    if not left or not right:
        return None
    if left == right:
        return 1.0
    return max(fuzz.token_sort_ratio(left, right), 0.9 * fuzz.token_set_ratio(left, right)) / 100


def best_name_similarity(name: str, candidates: tuple[str, ...]) -> float | None:
    scores = [s for s in (name_similarity(name, other) for other in candidates) if s is not None]
    return max(scores) if scores else None
