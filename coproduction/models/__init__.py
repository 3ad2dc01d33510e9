from .dataset import Dataset, DatasetVersion
from .feature import Feature, FeatureVersion

__all__ = ["Dataset", "DatasetVersion", "Feature", "FeatureVersion"]
