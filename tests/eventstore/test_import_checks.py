"""import_events checks every line as verify_events checks the log, and refuses a bad file whole."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portfolio.eventstore import store
from portfolio.eventstore.models import ProcessedCommand, StoredEvent, StoredHead
from portfolio.eventstore.signing import SIGNING_KEY
from tests.database import truncate_allowed

from .appending import put
from .test_integrity import read_models


@pytest.fixture
def exported(tmp_path) -> list[str]:
    """Export a small log (stream s-1 on lines 1-3, s-2 on line 4), then empty the database."""
    put("s-1", 0, {"n": 1}, {"n": 2}, {"n": 3})
    put("s-2", 0, {"n": 1})
    dump = tmp_path / "events.jsonl"
    call_command("export_events", str(dump))
    with truncate_allowed(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE eventstore_event, eventstore_checkpoint, eventstore_command")
    return dump.read_text(encoding="utf-8").splitlines()


def changed(line: str, **values) -> str:
    return json.dumps({**json.loads(line), **values}, sort_keys=True)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tamper", "refusal"),
    [
        pytest.param(
            lambda lines: [lines[0], changed(lines[1], data={"n": 20}), *lines[2:]],
            "line 2: stream s-1 version 2 (Test.Happened) does not match its hash",
            id="changed payload",
        ),
        pytest.param(
            lambda lines: [lines[0], *lines[2:]],
            "line 2: stream s-1 jumps from version 1 to 3",
            id="removed line",
        ),
        pytest.param(
            lambda lines: [lines[0], lines[2], lines[1], lines[3]],
            "line 2: stream s-1 jumps from version 1 to 3",
            id="reordered versions",
        ),
        pytest.param(
            lambda lines: [*lines[:2], changed(lines[2], version=4), lines[3]],
            "line 3: stream s-1 jumps from version 2 to 4",
            id="renumbered version",
        ),
    ],
)
def test_import_refuses_a_tampered_file_naming_the_first_bad_line(
    exported, tmp_path, tamper, refusal
):
    # given
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(tamper(exported)) + "\n", encoding="utf-8")
    before = read_models()

    # when / then
    with pytest.raises(CommandError, match="^nothing imported: " + re.escape(refusal)):
        call_command("import_events", str(tampered))
    assert not StoredEvent.objects.exists()
    assert not ProcessedCommand.objects.exists()
    assert read_models() == before

    # and the untouched export still goes in
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(exported) + "\n", encoding="utf-8")
    call_command("import_events", str(good))
    assert [(e.stream_id, e.version, e.data["n"]) for e in store.read_all()] == [
        ("s-1", 1, 1),
        ("s-1", 2, 2),
        ("s-1", 3, 3),
        ("s-2", 1, 1),
    ]


@pytest.mark.postgres
@pytest.mark.django_db
def test_import_refuses_positions_out_of_order(exported, tmp_path):
    # given: s-2's event moved before s-1's last, each chain intact
    third = json.loads(exported[2])["position"]
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text(
        "\n".join([*exported[:3], changed(exported[3], position=third - 1)]), encoding="utf-8"
    )

    # when / then
    with pytest.raises(CommandError, match=f"line 4: position {third - 1} does not follow {third}"):
        call_command("import_events", str(tampered))
    assert not StoredEvent.objects.exists()


@pytest.fixture
def exported_with_heads(signing_key, tmp_path) -> list[str]:
    """Export a log with two signed heads, then empty the database (heads included)."""
    put("s-1", 0, {"n": 1})
    call_command("checkpoint_log")
    put("s-1", 1, {"n": 2})
    call_command("checkpoint_log")
    dump = tmp_path / "events.jsonl"
    call_command("export_events", str(dump))
    with truncate_allowed(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE eventstore_event, eventstore_checkpoint, eventstore_command,"
            " eventstore_signed_head"
        )
    return dump.read_text(encoding="utf-8").splitlines()


def _head_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if '"head"' in line]


@pytest.mark.postgres
@pytest.mark.django_db
def test_an_export_carries_its_signed_heads_and_the_import_holds_the_log_to_them(
    exported_with_heads, tmp_path
):
    # given an export whose heads are intact
    assert len(_head_lines(exported_with_heads)) == 2
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(exported_with_heads) + "\n", encoding="utf-8")

    # when
    call_command("import_events", str(good))

    # then the heads are back, and verify_events holds the log to them
    assert StoredHead.objects.count() == 2
    call_command("verify_events")


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_import_refuses_a_signed_head_that_was_altered(exported_with_heads, tmp_path):
    # given the second head claims another hash (its signature then fails)
    lines = list(exported_with_heads)
    second = _head_lines(lines)[1]
    row = json.loads(lines[second])
    row["head"]["hash"] = "0" * 64
    lines[second] = json.dumps(row)
    tampered = tmp_path / "tampered.jsonl"
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # when / then
    with pytest.raises(
        CommandError, match=f"^nothing imported: line {second + 1}: signed head at position"
    ):
        call_command("import_events", str(tampered))
    assert not StoredEvent.objects.exists() and not StoredHead.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_import_refuses_a_log_cut_below_its_signed_head(exported_with_heads, tmp_path):
    # given the log's last event removed: the second head signed it
    lines = list(exported_with_heads)
    del lines[1]
    tampered = tmp_path / "cut.jsonl"
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")

    # when / then
    with pytest.raises(CommandError, match="log ends at"):
        call_command("import_events", str(tampered))
    assert not StoredEvent.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_import_refuses_signed_heads_it_has_no_key_for(
    exported_with_heads, tmp_path, monkeypatch
):
    # given the signing key is gone from the environment
    monkeypatch.delenv(f"{SIGNING_KEY}_FILE")
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(exported_with_heads) + "\n", encoding="utf-8")

    with pytest.raises(CommandError, match="no key to verify it: set PORTEFOLJE_VERIFY_KEY"):
        call_command("import_events", str(good))
    assert not StoredEvent.objects.exists()
