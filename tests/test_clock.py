"""The suite's clock (tests/clock.py): a pinned day holds in the processes a test starts."""

import subprocess
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_process_started_by_a_test_on_a_pinned_day_lives_on_that_day(pinned_today):
    # when: a new interpreter that imports the suite, as a Celery worker or writer process does
    probe = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", "import tests, datetime; print(datetime.date.today())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    # then
    assert date.today() == pinned_today  # noqa: DTZ011 (the clock is what this test checks)
    assert date.fromisoformat(probe.stdout.strip()) == pinned_today
