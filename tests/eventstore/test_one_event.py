"""The one-event statement answers exactly as the PL/pgSQL function does, for any sequence of
appends: right and stale versions, no version check, repeated command ids, back-dated events."""

import itertools
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.eventstore import store

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

START = timezone.now() - timedelta(days=30)

appends = st.lists(
    st.tuples(
        st.integers(0, 2),  # stream
        st.sampled_from(["right", "stale", "unchecked"]),  # expected version
        st.one_of(st.none(), st.integers(0, 3)),  # command id, from a few so some repeat
        st.integers(0, 20),  # known_at, days after START
    ),
    min_size=1,
    max_size=12,
)


def run(prefix: str, steps) -> list:
    """Append each step's one event; return what each step answered."""
    versions: dict[int, int] = {}
    answers = []
    for stream, expected, command, day in steps:
        version = versions.get(stream, 0)
        try:
            result = store.append(
                stream_id=f"{prefix}-{stream}",
                stream_type="Test",
                expected_version={"right": version, "stale": version - 1, "unchecked": None}[
                    expected
                ],
                events=[store.NewEvent("Test.Happened", {"day": day})],
                actor="tester",
                command_id=None if command is None else f"{prefix}-cmd-{command}",
                known_at=START + timedelta(days=day),
            )
        except store.ConcurrencyConflict as conflict:
            answers.append(("conflict", conflict.expected, conflict.actual))
        except store.InvalidEvent as invalid:
            answers.append(("invalid", str(invalid)))
        else:
            if not result.duplicate:
                versions[stream] = result.version
            stream_of = result.stream_id.removeprefix(prefix)
            answers.append(("ok", stream_of, result.version, result.duplicate))
    return answers


examples = itertools.count()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=appends)
def test_one_event_statement_and_function_answer_alike(steps):
    prefix = f"ex{next(examples)}-"
    one = run(prefix + "a", steps)
    with mock.patch.object(store, "_append_one", store._append_several):
        function = run(prefix + "b", steps)

    assert one == function
    stored = {
        side: [
            (e.stream_id.removeprefix(prefix + side), e.version, e.data, e.known_at)
            for e in store.read_all(limit=None)
            if e.stream_id.startswith(prefix + side)
        ]
        for side in "ab"
    }
    assert stored["a"] == stored["b"]


def test_a_log_written_by_both_paths_verifies(capsys):
    # one event (the statement), two (the function), one again, on one hash chain
    for expected, numbers in ((0, [1]), (1, [2, 3]), (3, [4])):
        store.append(
            stream_id="s",
            stream_type="Test",
            expected_version=expected,
            actor="tester",
            events=[store.NewEvent("Test.Happened", {"n": n}) for n in numbers],
        )

    call_command("verify_events")

    assert "all hash chains and versions intact" in capsys.readouterr().out
    assert [e.version for e in store.read_stream("s")] == [1, 2, 3, 4]
