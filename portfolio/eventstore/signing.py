"""The Ed25519 key that signs the log's heads: read from the environment, never from the database.

Whoever can rewrite the database must not be able to sign a head that hides it, so the private
key lives apart from it: in `PORTEFOLJE_SIGNING_KEY` (PEM, or the 32 raw bytes in base64) or in
the file `PORTEFOLJE_SIGNING_KEY_FILE` names. A verifier needs only the public key:
`PORTEFOLJE_VERIFY_KEY` (or `_FILE`), PEM or base64 raw, else the signing key's own.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import EventStoreError

# cryptography is imported where a key is read or made: only signing, verifying and reports
# need it, and a web process starts without it.
if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

SIGNING_KEY = "PORTEFOLJE_SIGNING_KEY"
VERIFY_KEY = "PORTEFOLJE_VERIFY_KEY"


class SigningKeyError(EventStoreError):
    """A key that is missing where it is needed, or that cannot be read."""


def _configured(variable: str) -> tuple[bytes, str] | None:
    """Return the key material `variable` (or `variable`_FILE) gives and where it came from."""
    value, path = os.environ.get(variable), os.environ.get(f"{variable}_FILE")
    if value and path:
        raise SigningKeyError(f"set {variable} or {variable}_FILE, not both")
    if value:
        return value.encode(), variable
    if path:
        try:
            return Path(path).read_bytes(), f"{variable}_FILE ({path})"
        except OSError as error:
            raise SigningKeyError(f"cannot read {variable}_FILE: {error}") from error
    return None


def _raw(material: bytes, source: str) -> bytes:
    try:
        raw = base64.b64decode(material.strip(), validate=True)
    except binascii.Error as error:
        raise SigningKeyError(f"{source} is neither PEM nor base64") from error
    if len(raw) != 32:
        raise SigningKeyError(f"{source} holds {len(raw)} bytes; an Ed25519 key has 32")
    return raw


def _private(material: bytes, source: str) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if b"-----BEGIN" not in material:
        return Ed25519PrivateKey.from_private_bytes(_raw(material, source))
    try:
        key = serialization.load_pem_private_key(material, password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"{source} is not an unencrypted PEM private key: {error}") from error
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{source} is not an Ed25519 key")
    return key


def _public(material: bytes, source: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if b"-----BEGIN" not in material:
        return Ed25519PublicKey.from_public_bytes(_raw(material, source))
    try:
        key = serialization.load_pem_public_key(material)
    except ValueError as error:
        raise SigningKeyError(f"{source} is not a PEM public key: {error}") from error
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError(f"{source} is not an Ed25519 key")
    return key


def signing_key(*, required: bool = True) -> Ed25519PrivateKey | None:
    """Return the configured signing key; raise when there is none, unless not `required`."""
    found = _configured(SIGNING_KEY)
    if found is None:
        if not required:
            return None
        raise SigningKeyError(
            f"no signing key: set {SIGNING_KEY}_FILE to a private key file"
            f" (make one with `manage.py checkpoint_log --new-key FILE`) or {SIGNING_KEY}"
        )
    return _private(*found)


def verify_key() -> Ed25519PublicKey | None:
    """Return the public key heads are checked with, or None when none is configured."""
    found = _configured(VERIFY_KEY)
    if found is not None:
        return _public(*found)
    private = signing_key(required=False)
    return private.public_key() if private else None


def key_id(key: Ed25519PublicKey) -> str:
    """Return a short name of a public key, so a head says which key signed it."""
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(key: Ed25519PublicKey) -> str:
    """Return the public key as PEM (SubjectPublicKeyInfo), what PORTEFOLJE_VERIFY_KEY takes."""
    from cryptography.hazmat.primitives import serialization

    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def new_private_pem() -> bytes:
    """Return a fresh Ed25519 private key as unencrypted PKCS#8 PEM."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
