"""The signature a receiver checks: HMAC-SHA256 over `timestamp + "." + body`."""

import hashlib
import hmac

SIGNATURE_HEADER = "Portefolje-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Return the header value `t=<unix>,v1=<hex>` for `body` sent at `timestamp`."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes) -> bool:
    """Return whether `header` signs `body` with `secret` (what a receiver does)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        expected = signature(secret, int(parts["t"]), body)
    except (KeyError, ValueError):
        return False
    return hmac.compare_digest(expected, header)
