"""Signed heads of the log: checkpoint_log signs and stores them, verify_events holds the log to
them and to witnesses kept elsewhere."""

import base64
import json
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from portfolio.celery import app
from portfolio.eventstore import tasks
from portfolio.eventstore.hashing import GENESIS
from portfolio.eventstore.heads import (
    FORMAT,
    InvalidHead,
    SignedHead,
    head_at,
    record_head,
    sign_head,
)
from portfolio.eventstore.models import StoredEvent, StoredHead
from portfolio.eventstore.signing import SIGNING_KEY, VERIFY_KEY, key_id, public_pem

from .appending import put

pytestmark = pytest.mark.django_db


def last_position() -> int:
    return StoredEvent.objects.order_by("-position").values_list("position", flat=True).first()


def verify(capsys, *args) -> str:
    """Run verify_events; return what it printed, or raise naming every break it printed."""
    try:
        call_command("verify_events", *args)
    except CommandError as error:
        raise CommandError(f"{error}\n{capsys.readouterr().err}") from error
    return capsys.readouterr().out


def delete_events(where: str) -> None:
    """Delete stored events as only the tables' owner can: past the triggers that refuse it.

    Inside the test's transaction, so the triggers are back when it rolls back.
    """
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE eventstore_event DISABLE TRIGGER USER")
        cursor.execute(f"DELETE FROM eventstore_event WHERE {where}")  # noqa: S608
        cursor.execute("ALTER TABLE eventstore_event ENABLE TRIGGER USER")


def test_head_at_is_the_last_event_at_or_below_a_position():
    assert head_at() == (0, GENESIS)
    first = put("s-1", 0, {"n": 1}).positions[0]
    put("s-2", 0, {"n": 1})
    stored = dict(StoredEvent.objects.values_list("position", "hash"))

    assert head_at(first) == (first, stored[first])
    assert head_at(first + 100) == head_at() == (last_position(), stored[last_position()])
    assert head_at(first - 1) == (0, GENESIS)


def test_a_checkpoint_is_signed_stored_and_verified(signing_key, tmp_path, capsys):
    # given
    put("s-1", 0, {"n": 1}, {"n": 2})
    out = tmp_path / "head.json"

    # when
    call_command("checkpoint_log", "--output", str(out))

    # then the head is stored, printed and written: the log's last event, signed
    printed = capsys.readouterr().out.strip()
    assert out.read_text().strip() == printed
    head = SignedHead.parse(printed)
    row = StoredHead.objects.get()
    assert SignedHead.of_row(row) == head
    assert (head.position, head.hash) == head_at() and head.position == last_position()
    assert head.key_id == key_id(signing_key.public_key())
    signing_key.public_key().verify(base64.b64decode(head.signature), head.message())
    assert "2 events in 1 streams checked, 1 signed heads" in verify(capsys)


def test_checkpoint_log_says_which_variable_to_set_without_a_key(no_keys):
    with pytest.raises(CommandError, match=f"{SIGNING_KEY}_FILE"):
        call_command("checkpoint_log")
    assert not StoredHead.objects.exists()


def test_the_printed_public_key_verifies_the_stored_heads(
    signing_key, monkeypatch, capsys, tmp_path
):
    # given two checkpoints
    put("s-1", 0, {"n": 1})
    record_head()
    put("s-1", 1, {"n": 2})
    record_head()
    call_command("checkpoint_log", "--public-key")
    pem = capsys.readouterr().out
    assert pem == public_pem(signing_key.public_key())

    # when an auditor holds only the public key
    monkeypatch.delenv(f"{SIGNING_KEY}_FILE")
    (tmp_path / "public.pem").write_text(pem)
    monkeypatch.setenv(f"{VERIFY_KEY}_FILE", str(tmp_path / "public.pem"))

    # then
    assert "2 signed heads" in verify(capsys)


def test_a_key_in_the_environment_as_base64_signs_the_same(no_keys, monkeypatch):
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    monkeypatch.setenv(SIGNING_KEY, base64.b64encode(raw).decode())
    put("s-1", 0, {"n": 1})

    now = sign_head(key=key).time
    assert sign_head(time=now) == sign_head(time=now, key=key)


def test_new_key_writes_a_private_key_only_its_owner_reads_and_never_overwrites(
    no_keys, monkeypatch, tmp_path, capsys
):
    path = tmp_path / "key.pem"
    call_command("checkpoint_log", "--new-key", str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv(f"{SIGNING_KEY}_FILE", str(path))
    put("s-1", 0, {"n": 1})
    record_head()
    assert "1 signed heads" in verify(capsys)

    before = path.read_bytes()
    with pytest.raises(CommandError, match="never overwritten"):
        call_command("checkpoint_log", "--new-key", str(path))
    assert path.read_bytes() == before


@pytest.mark.postgres
def test_a_tampered_signature_is_a_break(signing_key, capsys):
    put("s-1", 0, {"n": 1})
    head = record_head()
    forged = sign_head(key=Ed25519PrivateKey.generate()).signature
    row = StoredHead.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE eventstore_signed_head SET signature = %s", [forged])
        cursor.execute("SET LOCAL session_replication_role = origin")

    with pytest.raises(CommandError, match="1 break") as failure:
        verify(capsys)
    assert (
        f"signed head #{row.pk} at position {head.position}: the signature does not verify"
        in str(failure.value)
    )


def test_a_head_moved_to_another_position_no_longer_verifies(signing_key, capsys):
    # given a head signed at the first event, then stored claiming the second
    first = put("s-1", 0, {"n": 1}).positions[0]
    second = put("s-1", 1, {"n": 2}).positions[0]
    head = sign_head(first)
    StoredHead.objects.create(**{**_columns(head), "position": second, "hash": head_at(second)[1]})

    with pytest.raises(CommandError, match=f"position {second}: the signature does not verify"):
        verify(capsys)


def test_heads_signed_with_another_key_are_a_break(signing_key, monkeypatch, capsys):
    put("s-1", 0, {"n": 1})
    head = record_head()
    other = Ed25519PrivateKey.generate().public_key()
    monkeypatch.setenv(VERIFY_KEY, public_pem(other))

    with pytest.raises(CommandError) as failure:
        verify(capsys)
    assert (
        f"at position {head.position}: signed by key {head.key_id},"
        f" not by the verify key {key_id(other)}"
    ) in str(failure.value)


def test_stored_heads_without_a_key_to_check_them_are_a_break(signing_key, monkeypatch, capsys):
    put("s-1", 0, {"n": 1})
    record_head()
    monkeypatch.delenv(f"{SIGNING_KEY}_FILE")

    with pytest.raises(CommandError, match=f"no key is configured.*set {VERIFY_KEY}"):
        verify(capsys)


def test_a_later_head_below_an_earlier_one_is_a_break(signing_key, capsys):
    first = put("s-1", 0, {"n": 1}).positions[0]
    put("s-1", 1, {"n": 2})
    record_head()
    lower = sign_head(first)
    row = StoredHead.objects.create(**_columns(lower))

    with pytest.raises(CommandError, match="1 break") as failure:
        verify(capsys)
    assert f"signed head #{row.pk} at position {first}: below the head before it" in str(
        failure.value
    )


@pytest.mark.postgres
def test_signed_heads_cannot_be_changed_or_deleted(signing_key):
    put("s-1", 0, {"n": 1})
    record_head()
    for statement in (
        "UPDATE eventstore_signed_head SET position = 0",
        "DELETE FROM eventstore_signed_head",
        "TRUNCATE eventstore_signed_head",
    ):
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert StoredHead.objects.count() == 1


@pytest.mark.postgres
def test_a_deleted_tail_passes_the_chains_but_not_the_heads(signing_key, capsys):
    # given a checkpoint of the log's last event
    put("s-1", 0, {"n": 1})
    last = put("s-1", 1, {"n": 2}).positions[0]
    record_head()
    row = StoredHead.objects.get()

    # when the checkpointed event is deleted: every stream's chain still holds
    delete_events(f"position = {last}")

    # then the head names it
    with pytest.raises(CommandError) as failure:
        verify(capsys)
    message = str(failure.value)
    assert "jumps" not in message and "does not match" not in message
    assert f"signed head #{row.pk} at position {last}: log ends at {last - 1}" in message


@pytest.mark.postgres
def test_a_deleted_event_under_a_head_is_named(signing_key, capsys):
    first = put("s-1", 0, {"n": 1}).positions[0]
    record_head()
    put("s-2", 0, {"n": 1})
    row = StoredHead.objects.get()

    delete_events(f"position = {first}")

    with pytest.raises(CommandError) as failure:
        verify(capsys)
    assert f"signed head #{row.pk} at position {first}: event missing" in str(failure.value)


def _columns(head: SignedHead) -> dict:
    return {
        "format": FORMAT,
        "position": head.position,
        "hash": head.hash,
        "time": head.time,
        "key_id": head.key_id,
        "signature": head.signature,
    }


@pytest.mark.postgres
def test_a_witness_file_holds_while_its_event_stands(signing_key, tmp_path, capsys):
    # given a checkpoint written to a file, and the log going on after it
    put("s-1", 0, {"n": 1})
    witnessed = put("s-2", 0, {"n": 1}).positions[0]
    witness = tmp_path / "head.json"
    call_command("checkpoint_log", "--output", str(witness))
    put("s-1", 1, {"n": 2})
    capsys.readouterr()
    assert f"and the witness {witness}" in verify(capsys, "--witness", str(witness))

    # when the witnessed event is deleted (its stream's chain has nothing after it to break)
    delete_events(f"position = {witnessed}")

    # then
    with pytest.raises(CommandError) as failure:
        verify(capsys, "--witness", str(witness))
    assert f"witness at position {witnessed}: event missing" in str(failure.value)


@pytest.mark.postgres
def test_a_witness_beyond_the_log_says_where_the_log_ends(signing_key, tmp_path, capsys):
    kept = put("s-1", 0, {"n": 1}).positions[0]
    witnessed = put("s-1", 1, {"n": 2}).positions[0]
    witness = tmp_path / "head.json"
    witness.write_text(sign_head().text())

    delete_events(f"position = {witnessed}")

    with pytest.raises(CommandError) as failure:
        verify(capsys, "--witness", str(witness))
    assert f"witness at position {witnessed}: log ends at {kept}" in str(failure.value)


def test_a_witness_whose_hash_differs_is_named(signing_key, tmp_path, capsys):
    position = put("s-1", 0, {"n": 1}).positions[0]
    forged = SignedHead(position, "f" * 64, sign_head().time, key_id(signing_key.public_key()))
    signature = base64.b64encode(signing_key.sign(forged.message())).decode()
    witness = tmp_path / "head.json"
    witness.write_text(SignedHead(**{**forged.__dict__, "signature": signature}).text())

    with pytest.raises(CommandError) as failure:
        verify(capsys, "--witness", str(witness))
    assert f"witness at position {position}: hash differs" in str(failure.value)


def test_an_edited_witness_file_does_not_verify(signing_key, tmp_path, capsys):
    first = put("s-1", 0, {"n": 1}).positions[0]
    put("s-1", 1, {"n": 2})
    fields = json.loads(sign_head().text())
    fields.update(position=first, hash=head_at(first)[1])  # an older head, claimed as signed
    witness = tmp_path / "head.json"
    witness.write_text(json.dumps(fields))

    with pytest.raises(CommandError) as failure:
        verify(capsys, "--witness", str(witness))
    assert f"witness at position {first}: the signature does not verify" in str(failure.value)


def test_a_witness_needs_a_key_and_a_readable_head(no_keys, tmp_path, capsys):
    witness = tmp_path / "head.json"
    witness.write_text("{}")
    with pytest.raises(CommandError, match=f"set {VERIFY_KEY}"):
        call_command("verify_events", "--witness", str(witness))


def test_a_signed_head_reads_back_only_as_written(signing_key):
    put("s-1", 0, {"n": 1})
    head = sign_head()
    assert SignedHead.parse(head.text()) == head
    fields = json.loads(head.text())
    for broken in (
        {**fields, "extra": 1},
        {**fields, "format": "portefolje-signed-head/2"},
        {**fields, "position": "1"},
        {**fields, "hash": fields["hash"].upper()},
        {**fields, "time": fields["time"].replace("+00:00", "+01:00")},
    ):
        with pytest.raises(InvalidHead):
            SignedHead.parse(json.dumps(broken))


def test_beat_signs_a_checkpoint_every_hour(signing_key):
    app.finalize()  # beat finalizes the app before it reads the schedule
    entry = app.conf.beat_schedule["eventstore-checkpoint-log"]
    assert entry["task"] == tasks.checkpoint_log.name
    assert entry["schedule"].minute == {0} and len(entry["schedule"].hour) == 24
    put("s-1", 0, {"n": 1})

    position = tasks.checkpoint_log.apply().get()

    assert position == last_position() == StoredHead.objects.get().position
