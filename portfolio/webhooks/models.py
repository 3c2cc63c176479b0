"""Webhook subscriptions, one delivery row per (subscription, event position), and the
position up to which the log has been turned into deliveries."""

import secrets
import uuid

from django.core.validators import URLValidator
from django.db import models

PORTFOLIO, AREA, PROJECT = "portfolio", "area", "project"
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
SCOPES = [PORTFOLIO, AREA, PROJECT]  # named in the schema (settings' ENUM_NAME_OVERRIDES)
DELIVERY_STATES = [PENDING, DELIVERED, FAILED]


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


class Subscription(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    target_url = models.URLField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="http(s) only.",
    )
    kinds = models.JSONField(
        default=list, help_text='Event types, or prefixes like "Milestone.*"; "*" is every event.'
    )
    scope = models.CharField(
        max_length=10,
        choices=[(PORTFOLIO, "Whole portfolio"), (AREA, "Area"), (PROJECT, "Project")],
        default=PORTFOLIO,
    )
    scope_id = models.CharField(max_length=36, blank=True, help_text="The area's or project's id.")
    # HMAC needs the secret itself; it is shown once, on create, and never by the API again.
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    after_position = models.BigIntegerField(
        default=0, help_text="Events after this log position are delivered (the head at create)."
    )
    active = models.BooleanField(default=True)
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.target_url} ({', '.join(self.kinds)})"


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, related_name="deliveries", on_delete=models.CASCADE
    )
    position = models.BigIntegerField()
    event_type = models.CharField(max_length=100)
    status = models.CharField(
        max_length=10,
        choices=[(PENDING, "Pending"), (DELIVERED, "Delivered"), (FAILED, "Failed")],
        default=PENDING,
    )
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["subscription", "position"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "position"], name="one_per_event")
        ]
        indexes = [models.Index(fields=["status", "subscription", "position"])]

    def __str__(self) -> str:
        return f"{self.position} -> {self.subscription_id} ({self.status})"


class Checkpoint(models.Model):
    """The log position whose events have been turned into deliveries (one row)."""

    name = models.CharField(max_length=40, primary_key=True)
    position = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.position}"
