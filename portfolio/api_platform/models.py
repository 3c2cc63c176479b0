"""API tokens (stored as hashes) and the first answers to idempotent POSTs."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone

# A token reads "pf_" + 43 URL-safe characters (32 random bytes). The prefix lets secret
# scanners recognise a leaked token and lets people tell a token from a password.
TOKEN_PREFIX = "pf_"  # noqa: S105 (a marker, not a secret)


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a token secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


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
        """Return the active token with this secret (not revoked, its user active), with its
        user, or None.

        Plain SQL on PostgreSQL: every token-authenticated request asks it, and composing the
        queryset with its user costs more than the query itself. Elsewhere (the zero-setup run
        on SQLite) the ORM, whose converters make the stored times aware.
        """
        if connection.vendor != "postgresql":
            found = cls.objects.select_related("user").filter(
                digest=hash_secret(secret), revoked_at__isnull=True, user__is_active=True
            )
            return found.first()
        User = get_user_model()
        token_fields = [f.attname for f in cls._meta.concrete_fields]
        user_fields = [f.attname for f in User._meta.concrete_fields]
        q = connection.ops.quote_name
        user_id = cls._meta.get_field("user").column
        columns = [f"t.{q(c)}" for c in token_fields] + [f"u.{q(c)}" for c in user_fields]
        sql = (
            f"SELECT {', '.join(columns)} FROM {q(cls._meta.db_table)} t"  # noqa: S608
            f" JOIN {q(User._meta.db_table)} u ON u.{q(User._meta.pk.column)} = t.{q(user_id)}"
            " WHERE t.digest = %s AND t.revoked_at IS NULL AND u.is_active = %s"
        )  # no ORDER BY or LIMIT: the digest is unique
        with connection.cursor() as cursor:
            cursor.execute(sql, [hash_secret(secret), True])
            row = cursor.fetchone()
        if row is None:
            return None
        token = cls.from_db(connection.alias, token_fields, row[: len(token_fields)])
        token.user = User.from_db(connection.alias, user_fields, row[len(token_fields) :])
        return token

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
