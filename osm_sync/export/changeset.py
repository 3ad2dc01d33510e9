"""The tags of the changeset a mapper opens to upload an export.

osmChange has no place for them, so they travel in two forms: JOSM's own `<changeset>`
element in the `.osm` file (JOSM reads its tags into the upload dialog), and a comment at the
top of both files for other tools (Level0, the API by hand), which ask for them at upload.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from coproduction.models import Dataset

GENERATOR = "Carte Commune"
HASHTAG = "#CarteCommune"
# The API refuses longer tag values.
MAX_TAG_LENGTH = 255


def changeset_tags(dataset: Dataset) -> dict[str, str]:
    """`source` names the dataset and its licence, as the import guidelines ask; the hashtag
    lets the community follow every edit that came from the product."""
    title = dataset.title or dataset.slug
    comment = _(
        "Corrections du jeu de données « %(title)s » proposées par des citoyens et acceptées "
        "par son producteur (%(generator)s) %(hashtag)s"
    ) % {"title": title, "generator": GENERATOR, "hashtag": HASHTAG}
    source = f"{GENERATOR} — {title} ({dataset.licence})"
    return {
        "comment": _clip(comment, keep_end=HASHTAG),
        "source": _clip(source),
        "hashtags": HASHTAG,
    }


def _clip(value: str, keep_end: str = "") -> str:
    if len(value) <= MAX_TAG_LENGTH:
        return value
    room = MAX_TAG_LENGTH - len(keep_end) - 2
    return f"{value[:room]}… {keep_end}".rstrip()
