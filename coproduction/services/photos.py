"""Photos attached to contributions: checked, resized and re-encoded so that nothing of the
original file but its pixels is kept (no GPS position, no camera serial, no date)."""

from __future__ import annotations

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_SOURCE_PIXELS = 60_000_000


class PhotoRejected(ValueError):
    pass


def clean_photo(upload) -> ContentFile:
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise PhotoRejected(
            _("La photo fait %(size)s ; la limite est %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.PHOTO_MAX_BYTES),
            }
        )
    data = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            kind = image.format
            if kind not in ACCEPTED_FORMATS:
                raise PhotoRejected(_("Formats de photo acceptés : JPEG, PNG, WebP."))
            if image.width * image.height > MAX_SOURCE_PIXELS:
                raise PhotoRejected(_("Cette photo a trop de pixels."))
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise PhotoRejected(
            _("Ce fichier n’est pas une photo lisible (JPEG, PNG ou WebP).")
        ) from exc
    # Turn the pixels the way the camera meant, since the orientation tag goes with the rest.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "RGBA", "L"):
        image = image.convert("RGBA" if image.mode in ("P", "LA", "PA") else "RGB")
    image.thumbnail((settings.PHOTO_MAX_PIXELS, settings.PHOTO_MAX_PIXELS))
    # A new image receives the pixels only: no EXIF, XMP, ICC or text chunks come along.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    output = io.BytesIO()
    if kind == "JPEG":
        clean.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
    elif kind == "PNG":
        clean.save(output, "PNG", optimize=True)
    else:
        clean.save(output, "WEBP", quality=85)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{ACCEPTED_FORMATS[kind]}")
