from __future__ import annotations

import segno
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Workshop


def managed_workshop(request, pk: int) -> Workshop:
    """The workshop, if this user facilitates it (403 otherwise: its board is private)."""
    workshop = get_object_or_404(Workshop, pk=pk)
    if not workshop.can_manage(request.user):
        raise PermissionDenied
    return workshop


def join_url(request, workshop: Workshop) -> str:
    return request.build_absolute_uri(f"{reverse('workshops:join')}?code={workshop.join_code}")


def qr_svg(url: str, title: str) -> str:
    """An SVG QR code made by the server (no third-party service, works offline)."""
    return segno.make(url, error="m").svg_inline(scale=6, border=2, title=title)


def join_links(request, workshop: Workshop) -> dict:
    """The join URL and its QR code, once the workshop has a code (it gets one when opened)."""
    if not workshop.join_code:
        return {"join_url": "", "qr": ""}
    url = join_url(request, workshop)
    return {"join_url": url, "qr": qr_svg(url, _("Code QR pour rejoindre l’atelier"))}
