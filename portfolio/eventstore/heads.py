"""Signed heads of the log: a position, its hash and a time, signed with Ed25519.

The model is Certificate Transparency's signed tree head and immudb's client-held state: a head
kept outside the database (a checkpoint file, an issued report's PDF) is a witness that the log
held that event with that hash, which witnesses.py holds the log to later.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from .errors import EventStoreError
from .hashing import GENESIS, canonical_json
from .models import StoredEvent, StoredHead
from .signing import key_id, signing_key

if TYPE_CHECKING:  # the key is made in signing.py, which imports cryptography where it reads one
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# Raise it when the signed fields change; a verifier refuses a format it does not know.
FORMAT = "portefolje-signed-head/1"
FIELDS = {"format", "position", "hash", "time", "key_id", "signature"}
HEX_HASH = re.compile(r"[0-9a-f]{64}")


class InvalidHead(EventStoreError):
    """Text that is not a signed head of this format."""


def head_at(position: int | None = None) -> tuple[int, str]:
    """Return the position and hash of the last stored event at or below `position` (of the
    whole log when None); (0, GENESIS) when there is none.

    The one place that says what stands for the log up to a point: the hash of its last event,
    which covers what the hash chain covers before it (hashing.py).
    """
    events = StoredEvent.objects.order_by("-position")
    if position is not None:
        events = events.filter(position__lte=position)
    return events.values_list("position", "hash").first() or (0, GENESIS)


def _when(time: datetime) -> str:
    return time.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class SignedHead:
    position: int
    hash: str
    time: datetime  # a checkpoint's: when it was signed; an issued report's: its pin's
    key_id: str
    signature: str = ""  # base64 of the Ed25519 signature of message()

    def fields(self) -> dict:
        """Return what is signed, as JSON values."""
        return {
            "format": FORMAT,
            "position": self.position,
            "hash": self.hash,
            "time": _when(self.time),
            "key_id": self.key_id,
        }

    def message(self) -> bytes:
        """Return the signed bytes: the canonical JSON of fields()."""
        return canonical_json(self.fields()).encode()

    def text(self) -> str:
        """Return the head as one line of canonical JSON, signature included."""
        return canonical_json({**self.fields(), "signature": self.signature})

    @classmethod
    def parse(cls, text: str) -> SignedHead:
        """Return the head `text` (as text() writes it) holds; raise InvalidHead if it is not one.

        Strict, so that what is verified is exactly what was signed.
        """
        try:
            value = json.loads(text)
        except ValueError as error:
            raise InvalidHead(f"not JSON: {error}") from error
        if not isinstance(value, dict) or set(value) != FIELDS:
            raise InvalidHead(f"a signed head has exactly the keys {', '.join(sorted(FIELDS))}")
        if value["format"] != FORMAT:
            raise InvalidHead(f"unknown format {value['format']!r}; this reads {FORMAT}")
        position, digest, when = value["position"], value["hash"], value["time"]
        if isinstance(position, bool) or not isinstance(position, int) or position < 0:
            raise InvalidHead("position must be a whole number, 0 or more")
        if not isinstance(digest, str) or not HEX_HASH.fullmatch(digest):
            raise InvalidHead("hash must be 64 lowercase hexadecimal digits")
        try:
            time = datetime.fromisoformat(when)
        except (TypeError, ValueError) as error:
            raise InvalidHead("time must be an ISO 8601 time") from error
        if time.tzinfo is None or _when(time) != when:
            raise InvalidHead("time must be UTC with microseconds, as signed")
        if not all(isinstance(value[k], str) for k in ("key_id", "signature")):
            raise InvalidHead("key_id and signature must be text")
        return cls(position, digest, time, value["key_id"], value["signature"])

    @classmethod
    def of_row(cls, row: StoredHead) -> SignedHead:
        return cls(row.position, row.hash, row.time, row.key_id, row.signature)

    def signature_bytes(self) -> bytes | None:
        """Return the signature's 64 bytes, or None when it is not base64 of 64 bytes."""
        try:
            raw = base64.b64decode(self.signature, validate=True)
        except binascii.Error:
            return None
        return raw if len(raw) == 64 else None


def sign_head(
    position: int | None = None,
    *,
    time: datetime | None = None,
    key: Ed25519PrivateKey | None = None,
) -> SignedHead:
    """Return the head at `position` (the log's last when None), signed and dated `time` (now).

    Ed25519 signatures are deterministic: the same head, time and key give the same text, so a
    report that carries its pin's head still renders to the same bytes.
    """
    key = key or signing_key()
    at, digest = head_at(position)
    head = SignedHead(at, digest, time or timezone.now(), key_id(key.public_key()))
    return replace(head, signature=base64.b64encode(key.sign(head.message())).decode())


def record_head(key: Ed25519PrivateKey | None = None) -> SignedHead:
    """Sign the log's head now and store it (a checkpoint); return it."""
    head = sign_head(key=key)
    StoredHead.objects.create(
        format=FORMAT,
        position=head.position,
        hash=head.hash,
        time=head.time,
        key_id=head.key_id,
        signature=head.signature,
    )
    return head
