"""Publications and publishing jobs in the admin: read only. A published version never
changes and is never deleted (reports/models.py); publishing and withdrawing go through
the board's own pages (reports/services.py)."""

from django.contrib import admin

from reports.models import Publication, PublishingJob
from sab.admin_site import ReadOnlyAdminMixin


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "board", "kind", "version", "published_at", "page_count", "pdf_size"]
    list_filter = ["board", "kind"]
    list_select_related = ["board"]
    search_fields = ["title"]


@admin.register(PublishingJob)
class PublishingJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "board", "state", "requested_at", "finished_at"]
    list_filter = ["board", "state"]
    list_select_related = ["board", "business_plan", "strategic_plan"]
