"""import_events checks every line as verify_events checks the log, and refuses a bad file whole."""

import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portfolio.eventstore import store
from portfolio.eventstore.models import ProcessedCommand, StoredEvent
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
