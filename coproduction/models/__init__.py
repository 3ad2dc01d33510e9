from .contribution import Contribution, ContributionEvent, Contributor
from .dataset import Dataset, DatasetVersion
from .feature import Feature, FeatureVersion
from .organisation import Membership, Organisation
from .portal import PortalTarget, PushJob
from .release import Release

__all__ = [
    "Contribution",
    "ContributionEvent",
    "Contributor",
    "Dataset",
    "DatasetVersion",
    "Feature",
    "FeatureVersion",
    "Membership",
    "Organisation",
    "PortalTarget",
    "PushJob",
    "Release",
]
