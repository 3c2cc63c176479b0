"""A fresh Ed25519 signing key for the tests that sign heads of the log."""

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portfolio.eventstore.signing import SIGNING_KEY, VERIFY_KEY

VARIABLES = (SIGNING_KEY, f"{SIGNING_KEY}_FILE", VERIFY_KEY, f"{VERIFY_KEY}_FILE")


@pytest.fixture
def no_keys(monkeypatch) -> None:
    """Clear every key variable, whatever the environment running the tests sets."""
    for variable in VARIABLES:
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def signing_key(no_keys, monkeypatch, tmp_path: Path) -> Ed25519PrivateKey:
    """Write a new private key to a file and point PORTEFOLJE_SIGNING_KEY_FILE at it."""
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "signing-key.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    monkeypatch.setenv(f"{SIGNING_KEY}_FILE", str(path))
    return key
