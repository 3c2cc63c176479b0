"""The event log in the Django admin: operators may look, nobody may change anything."""

from django.contrib import admin

from .models import StoredEvent


@admin.register(StoredEvent)
class StoredEventAdmin(admin.ModelAdmin):
    list_display = ("position", "stream_type", "stream_id", "version", "event_type", "known_at")
    list_filter = ("stream_type", "event_type")
    search_fields = ("stream_id", "event_type")
    date_hierarchy = "known_at"
    ordering = ("-position",)
    list_per_page = 100
    show_full_result_count = False  # counting a million rows on every page load is slow

    # Events are immutable (the database refuses UPDATE and DELETE as well).
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
