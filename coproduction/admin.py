from django.contrib import admin

from .models import (
    Contribution,
    Dataset,
    DatasetVersion,
    Feature,
    FeatureVersion,
    Membership,
    Organisation,
    PortalTarget,
    PushJob,
    Release,
)


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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    raw_id_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "dataset", "status", "author", "created_at")
    list_filter = ("dataset", "status", "kind")
    raw_id_fields = ("feature", "author", "competing", "decided_by")


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ("dataset", "number", "feature_count", "published_nonconforming", "created_at")
    readonly_fields = [f.name for f in Release._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # releases are immutable


@admin.register(PortalTarget)
class PortalTargetAdmin(admin.ModelAdmin):
    list_display = ("dataset", "kind", "portal_dataset_id", "owned_by_organisation", "enabled")
    list_filter = ("kind", "enabled")


@admin.register(PushJob)
class PushJobAdmin(admin.ModelAdmin):
    list_display = ("release", "target", "status", "attempts", "updated_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in PushJob._meta.fields]
