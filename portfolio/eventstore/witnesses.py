"""Hold the log to its signed heads: the stored checkpoints and the witnesses kept elsewhere.

A head witnesses the log up to its position when its signature holds and the log still has the
event at that position with that hash. An issued report carries its pin's head as its PDF's
Keywords (reports/services.py); `read_witness` reads it from there or from a checkpoint file.
"""

import io
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from .hashing import GENESIS
from .heads import FORMAT, InvalidHead, SignedHead, head_at
from .models import RehashedHead, StoredEvent, StoredHead
from .signing import VERIFY_KEY, key_id


def signature_break(head: SignedHead, key: Ed25519PublicKey) -> str | None:
    """Return why `head`'s signature does not hold with `key`, or None when it does."""
    expected = key_id(key)
    if head.key_id != expected:
        return f"signed by key {head.key_id}, not by the verify key {expected}"
    signature = head.signature_bytes()
    if signature is None:
        return "the signature is not base64 of 64 bytes"
    try:
        key.verify(signature, head.message())
    except InvalidSignature:
        return "the signature does not verify: the head was altered or signed by another key"
    return None


def log_break(head: SignedHead) -> str | None:
    """Return how the log fails the head, or None when it holds that event with that hash."""
    if head.position == 0:
        found = GENESIS
    else:
        found = (
            StoredEvent.objects.filter(position=head.position)
            .values_list("hash", flat=True)
            .first()
        )
    if found is None:
        last, _ = head_at()
        return f"log ends at {last}" if last < head.position else "event missing"
    if (
        found == head.hash
        or RehashedHead.objects.filter(
            position=head.position, old_hash=head.hash, new_hash=found
        ).exists()
    ):  # signed before a migration re-hashed the log, which checked it then
        return None
    return "hash differs"


def head_breaks(label: str, head: SignedHead, key: Ed25519PublicKey | None) -> list[str]:
    """Return every break of one head: its signature (when there is a key) and the log."""
    problems = [signature_break(head, key)] if key is not None else []
    problems.append(log_break(head))
    return [f"{label} at position {head.position}: {p}" for p in problems if p]


@dataclass
class HeadsReport:
    heads: int = 0
    breaks: list[str] = field(default_factory=list)


def verify_stored_heads(key: Ed25519PublicKey | None) -> HeadsReport:
    """Check every stored head in the order stored: signature, the log, and no step back."""
    report = HeadsReport()
    highest = None
    for row in StoredHead.objects.order_by("id").iterator():
        report.heads += 1
        label = f"signed head #{row.pk}"
        head = SignedHead.of_row(row)
        if row.format != FORMAT:
            report.breaks.append(f"{label}: unknown format {row.format!r}")
            continue
        report.breaks.extend(head_breaks(label, head, key))
        if highest is not None and head.position < highest:
            report.breaks.append(
                f"{label} at position {head.position}: below the head before it, at {highest}"
            )
        highest = max(head.position, highest or 0)
    if report.heads and key is None:
        report.breaks.append(
            f"{report.heads} signed heads are stored but no key is configured to verify their"
            f" signatures: set {VERIFY_KEY} (or {VERIFY_KEY}_FILE)"
        )
    return report


def read_witness(path: Path) -> SignedHead:
    """Return the signed head in a checkpoint file or an issued report's PDF."""
    data = path.read_bytes()
    if data.startswith(b"%PDF-"):
        return SignedHead.parse(_pdf_keywords(data))
    try:
        return SignedHead.parse(data.decode("utf-8").strip())
    except UnicodeDecodeError as error:
        raise InvalidHead("neither a PDF nor a signed head's text") from error


def _pdf_keywords(data: bytes) -> str:
    # A parser rather than a pattern over the bytes: a PDF kept by a steering group may have
    # been saved again by a viewer, with compressed object streams or appended updates.
    try:
        keywords = (PdfReader(io.BytesIO(data)).metadata or {}).get("/Keywords")
    except PyPdfError as error:
        raise InvalidHead(f"cannot read the PDF: {error}") from error
    if not keywords:
        raise InvalidHead("the PDF carries no signed head (its Keywords are empty)")
    return str(keywords)
