"""The admin for steering meetings (which set the reports and reminders going) and the reminders
sent before them."""

from django.contrib import admin

from .models import StatusReminder, SteeringMeeting


@admin.register(SteeringMeeting)
class SteeringMeetingAdmin(admin.ModelAdmin):
    list_display = ("meets_on", "area_slug", "language", "request")
    list_filter = ("area_slug",)
    fields = ("meets_on", "area_slug", "language")
    date_hierarchy = "meets_on"


@admin.register(StatusReminder)
class StatusReminderAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "username", "project_id", "meeting")
    list_filter = ("username",)

    # A record of what was sent: read only.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
