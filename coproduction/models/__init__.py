from .contribution import Contribution, ContributionEvent, Contributor
from .dataset import Dataset, DatasetVersion
from .feature import Feature, FeatureVersion

__all__ = [
    "Contribution",
    "ContributionEvent",
    "Contributor",
    "Dataset",
    "DatasetVersion",
    "Feature",
    "FeatureVersion",
]
