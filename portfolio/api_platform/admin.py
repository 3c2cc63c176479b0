"""The admin for API tokens: issue (secret shown once), list, revoke."""

from django.contrib import admin, messages
from django.utils import timezone

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("hint", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "name", "hint")
    readonly_fields = ("hint", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return ("user", "name") if obj is None else ("user", "name", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("user", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = ApiToken.issue(obj.user, name=obj.name)
        obj.pk, obj.digest, obj.hint = token.pk, token.digest, token.hint
        messages.warning(
            request, f"The new token is {secret} — copy it now; it is not shown again."
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, f"{count} token(s) revoked.")
