from .reconciliation import Match, MatchDecision, Reconciliation
from .snapshot import OsmNodeLocation, OsmObject, OsmSnapshot

__all__ = [
    "Match",
    "MatchDecision",
    "OsmNodeLocation",
    "OsmObject",
    "OsmSnapshot",
    "Reconciliation",
]
