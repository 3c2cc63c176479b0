"""The suite's clock: a pinned "today" for tests whose answer depends on the date, and a way to
run the whole suite as if it were a later day (CI's second pass) to catch the tests that forgot.

`PORTEFOLJE_TEST_TODAY=2028-03-01` moves every test process's clock to that day (time keeps
ticking). The first process turns the date into an offset in seconds and hands it to the
processes it starts (`PORTEFOLJE_TEST_CLOCK_OFFSET`), so a Celery worker or a writer process
started a second before midnight agrees with its parent. Every process that imports `tests`
follows it; `python -m tests MODULE ARGS` runs MODULE (e.g. celery) that way.
"""

import os
from datetime import UTC, date, datetime, timedelta

import time_machine

TODAY_VARIABLE = "PORTEFOLJE_TEST_TODAY"
OFFSET_VARIABLE = "PORTEFOLJE_TEST_CLOCK_OFFSET"

# The day tests pin when their answer depends on "today" (fixture `pinned_today`). The demo's last
# event is recorded on 5 June 2026 and its next milestone falls on 1 December 2026; the API tests'
# portfolio (tests/api/portfolio_data.py) ends in February 2026 with plans from April 2026 to
# March 2027. On this day each has milestones both overdue and ahead.
TODAY = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


def _offset() -> float | None:
    """Return the seconds the clock is moved by in this process, from the environment."""
    if os.environ.get(OFFSET_VARIABLE):
        return float(os.environ[OFFSET_VARIABLE])
    if not os.environ.get(TODAY_VARIABLE):
        return None
    target = date.fromisoformat(os.environ[TODAY_VARIABLE])
    offset = (target - datetime.now(UTC).date()) / timedelta(seconds=1)
    os.environ[OFFSET_VARIABLE] = str(offset)
    return offset


def offset_to(moment: datetime) -> float:
    """Return the seconds between the real clock and `moment`, for processes to be started."""
    real_now = datetime.now(UTC) - timedelta(seconds=_offset() or 0)
    return (moment - real_now) / timedelta(seconds=1)


def follow_environment() -> None:
    """Move this process's clock as the environment says, once; nothing when it says nothing."""
    offset = _offset()
    if offset is not None and not getattr(follow_environment, "moved", False):
        moved = datetime.now(UTC) + timedelta(seconds=offset)
        time_machine.travel(moved, tick=True).start()
        follow_environment.moved = True
