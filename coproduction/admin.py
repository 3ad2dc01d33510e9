from django.contrib import admin

from .models import Dataset, DatasetVersion, Feature, FeatureVersion


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "feature_count", "features_with_issues", "updated_at")
    search_fields = ("title", "slug")
    readonly_fields = ("current_version", "feature_count", "features_with_issues", "bbox")


@admin.register(DatasetVersion)
class DatasetVersionAdmin(admin.ModelAdmin):
    list_display = (
        "dataset",
        "number",
        "source_name",
        "features_added",
        "features_changed",
        "features_removed",
        "rows_rejected",
        "created_at",
    )
    list_filter = ("dataset",)


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "dataset", "issue_count", "is_removed", "version")
    list_filter = ("dataset", "is_removed")
    search_fields = ("name", "key")
    raw_id_fields = ("first_version", "last_version")


@admin.register(FeatureVersion)
class FeatureVersionAdmin(admin.ModelAdmin):
    list_display = ("feature", "number", "change", "dataset_version", "created_at")
    raw_id_fields = ("feature", "dataset_version")
