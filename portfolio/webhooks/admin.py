"""The admin for webhooks: subscribe (the secret shown once), and the delivery log."""

from django.contrib import admin, messages
from django.db import models

from portfolio.eventstore import store

from .models import Delivery, Subscription

DELIVERY_FIELDS = (
    "position",
    "event_type",
    "status",
    "attempts",
    "status_code",
    "last_error",
    "created_at",
    "last_attempt_at",
    "next_attempt_at",
    "finished_at",
)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ("target_url", "kinds", "scope", "scope_id", "active", "created_at")
    list_filter = ("active", "scope")
    readonly_fields = ("after_position", "created_by", "created_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.after_position = store.head_position()
            obj.created_by = request.user.get_username()
        super().save_model(request, obj, form, change)
        if not change:
            messages.warning(
                request,
                f"The signing secret is {obj.secret} — copy it now; it is not shown again.",
            )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("subscription", *DELIVERY_FIELDS[:6], "last_attempt_at")
    list_filter = ("status",)
    readonly_fields = ("subscription", *DELIVERY_FIELDS)

    def has_add_permission(self, request) -> bool:
        return False
