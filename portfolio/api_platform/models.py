"""API tokens (stored as hashes) and the first answers to idempotent POSTs."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# A token reads "pf_" + 43 URL-safe characters (32 random bytes). The prefix lets secret
# scanners recognise a leaked token and lets people tell a token from a password.
TOKEN_PREFIX = "pf_"  # noqa: S105 (a marker, not a secret)


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for `Authorization: Token …`; only its SHA-256 is kept.

    The secret is random (256 bits), so a plain SHA-256 is enough: there is nothing to guess
    that a slow hash would protect, and a lookup by digest stays one indexed query.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, to tell tokens apart in the admin (not enough to use).
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        db_table = "api_token"
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.hint}… ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """Create a token for `user`; return it and its secret, which is never stored."""
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=hash_secret(secret), hint=secret[:10]
        )
        return token, secret

    @classmethod
    def find(cls, secret: str) -> "ApiToken | None":
        """Return the active token with this secret, with its user, or None."""
        found = cls.objects.active().select_related("user").filter(digest=hash_secret(secret))
        return next(iter(found[:1]), None)  # no ORDER BY: the digest is unique

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        """Stop the token working from the next request on."""
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class IdempotentResponse(models.Model):
    """The first successful answer to a POST sent with an `Idempotency-Key`, for replays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    # Method, path and body digest: a key reused for a different request is refused (422).
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(null=True)
    headers = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "api_idempotent_response"
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
