"""Parsing shared by the API and the forms."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _


def parse_bbox_text(value: str) -> tuple[float, float, float, float]:
    """'west,south,east,north' in degrees; raises ValueError with a user-facing message."""
    parts = value.split(",")
    if len(parts) != 4:
        raise ValueError(_("bbox attend 4 nombres : ouest,sud,est,nord."))
    try:
        west, south, east, north = (float(p) for p in parts)
    except ValueError as exc:
        raise ValueError(_("bbox attend 4 nombres : ouest,sud,est,nord.")) from exc
    if any(math.isnan(v) or math.isinf(v) for v in (west, south, east, north)):
        raise ValueError(_("bbox attend 4 nombres : ouest,sud,est,nord."))
    if west > east or south > north:
        raise ValueError(_("bbox : l’ouest doit être inférieur à l’est et le sud au nord."))
    return max(west, -180.0), max(south, -90.0), min(east, 180.0), min(north, 90.0)
