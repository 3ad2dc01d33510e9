"""Connectors that send a release's files to an open-data portal: one module per portal, all
with the same `push(release, target, log) -> {file kind: resource id}` (see `base`)."""

from __future__ import annotations

from collections.abc import Callable

from ..models import PortalTarget, Release
from . import ckan, udata
from .base import JobLog, PortalError

Connector = Callable[[Release, PortalTarget, JobLog], dict[str, str]]

CONNECTORS: dict[str, Connector] = {
    PortalTarget.Kind.CKAN: ckan.push,
    PortalTarget.Kind.UDATA: udata.push,
}


def connector_for(target: PortalTarget) -> Connector:
    return CONNECTORS[target.kind]


__all__ = ["CONNECTORS", "Connector", "JobLog", "PortalError", "connector_for"]
