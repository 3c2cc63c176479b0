"""What the portfolio report's cover and overview say, shared by the PDF and its HTML twin.

Read from snapshots only, in the language a renderer activates (wording.in_language).
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import groupby

from django.utils.translation import pgettext

from milestones.rules import next_milestone

from . import wording
from .fingerprint import digest_of
from .lights import COMPARABLE, RED, STALE, YELLOW

# Worst first: what a project's colour is when its tracks differ.
_WORST = (RED, YELLOW, "green", "not_started", "finished")


@dataclass(frozen=True)
class Rating:
    track: str  # the track's name, or "Hele projektet"
    rating: str | None  # reported
    word: str
    derived: str  # "" when no light is derived
    derived_word: str


@dataclass(frozen=True)
class OverviewRow:
    slug: str
    title: str
    area: str
    ratings: tuple[Rating, ...]
    next_milestone: str  # the next one still planned: "01.10.2026 Go-live", "-" when none is
    late_milestone: str  # the earliest already overdue, "01.03.2026 Kontrakt"; "" when none is
    overdue: int  # how many open milestones are overdue
    status_date: str
    stale: bool  # a status is older than the last steering meeting, or never given

    @property
    def differs(self) -> bool:
        """Whether a reported colour differs from the one derived for its track."""
        return any(
            r.rating in COMPARABLE and r.derived and r.derived != r.rating for r in self.ratings
        )


def _day(snapshot):
    return snapshot.as_of_time.astimezone(wording.LOCAL_TIME).date()


def overview_row(snapshot) -> OverviewRow:
    """Return a project's overview row, judged on the snapshot's own day as its page is."""
    lights = {light.track: light.derived for light in snapshot.lights}
    ratings = tuple(
        Rating(
            wording.track_or_whole(line.track),
            line.rating,
            wording.rating_word(line.rating),
            (derived := lights.get(line.track, "")),
            wording.rating_word(derived) if derived else "",
        )
        for line in snapshot.statuses
    )
    # Judged on the snapshot's own day, as its overdue marks were.
    upcoming = next_milestone(snapshot.milestones, _day(snapshot))
    late = [m for m in snapshot.milestones if m.overdue]
    first_late = min(late, key=lambda m: m.current_plan, default=None)
    return OverviewRow(
        slug=snapshot.project_slug,
        title=snapshot.title,
        area=snapshot.area,
        ratings=ratings,
        next_milestone=_dated(upcoming) or "-",
        late_milestone=_dated(first_late),
        overdue=len(late),
        status_date=wording.short_date(snapshot.status_date),
        stale=any(reason.rule == STALE for light in snapshot.lights for reason in light.reasons),
    )


def _dated(milestone) -> str:
    if milestone is None:
        return ""
    return f"{wording.short_date(milestone.current_plan)} {milestone.title}"


def by_area(rows: list[OverviewRow]) -> list[tuple[str, list[OverviewRow]]]:
    """Return the rows grouped by area, areas and projects in the order given."""
    order = {area: n for n, area in enumerate(dict.fromkeys(r.area for r in rows))}
    ranked = sorted(rows, key=lambda r: order[r.area])
    return [(area, list(group)) for area, group in groupby(ranked, key=lambda r: r.area)]


def worst_rating(ratings) -> str | None:
    """Return the worst of a project's ratings (red before yellow ...), None if none is given."""
    given = [r for r in ratings if r]
    return min(given, key=lambda r: _WORST.index(r) if r in _WORST else len(_WORST), default=None)


def _counts(values, *, unrated: bool = True) -> str:
    """Return "Rød 1 · Gul 2 · Grøn 3", worst first; without "Ikke vurderet" unless `unrated`."""
    counts = Counter(values)
    if not unrated:
        counts.pop(None, None)
    order = [*_WORST, None]
    return (
        "-"
        if not counts
        else " · ".join(
            f"{wording.rating_word(r)} {counts[r]}"
            for r in sorted(counts, key=lambda r: order.index(r) if r in order else len(order))
        )
    )


@dataclass(frozen=True)
class Outline:
    """What a portfolio report needs of all its projects before it renders the first page."""

    moment: datetime  # the report's as-of time
    digest: str  # the snapshots' short hash, the check code's
    meeting: date | None  # the last steering meeting any of the projects' areas has held
    areas: list[tuple[str, list[int]]]  # each area's snapshots (indexes), in the order they come
    rows: list[tuple[str, list[OverviewRow]]]  # the overview's rows, area by area alike

    @property
    def all_rows(self) -> list[OverviewRow]:
        return [row for _, rows in self.rows for row in rows]


def outline(snapshots: Sequence, as_of: datetime | None) -> Outline:
    """Return the outline of a portfolio report of these snapshots (by title), reading each
    once and keeping none: a spooled portfolio (reports.spool) reads them from its file.

    The rows are worded in the language a renderer activates. `as_of` defaults to the latest
    snapshot's as-of time.
    """
    latest, meetings = [], []
    areas: dict[str, list[tuple[int, OverviewRow]]] = {}

    def read():
        for index, snapshot in enumerate(snapshots):
            latest.append(snapshot.as_of_time)
            if snapshot.last_meeting:
                meetings.append(snapshot.last_meeting)
            areas.setdefault(snapshot.area, []).append((index, overview_row(snapshot)))
            yield snapshot

    digest = digest_of(read())[:12]
    fallback = datetime(2000, 1, 1, tzinfo=UTC)  # an empty portfolio still renders the same
    return Outline(
        moment=as_of or max(latest, default=fallback),
        digest=digest,
        meeting=max(meetings, default=None),
        areas=[(area, [index for index, _ in group]) for area, group in areas.items()],
        rows=[(area, [row for _, row in group]) for area, group in areas.items()],
    )


def cover_lines(
    rows: list[OverviewRow], area: str | None, moment: datetime, meeting: date | None = None
) -> list[str]:
    """Return the cover's summary: what the report is, and the portfolio's state at a glance;
    `meeting` is the last steering meeting (see last_meeting_of)."""
    count = pgettext("report", "{count} projects").format(count=len(rows))
    lines = [
        pgettext("report", "Area") + ": " + wording.area_name(area),
        wording.status_as_of(moment),
        count,
        pgettext("report", "Last steering meeting: {day}").format(
            day=wording.long_date(meeting) if meeting else pgettext("report", "none held yet")
        ),
    ]
    if not rows:
        return lines
    reported = _counts(worst_rating(r.rating for r in row.ratings) for row in rows)
    # A project without a derived light (no status yet) is counted by its reported rating only.
    derived = _counts((worst_rating(r.derived for r in row.ratings) for row in rows), unrated=False)
    lines += [
        pgettext("report", "Projects by reported rating: {counts}").format(counts=reported),
        pgettext("report", "Projects by derived light: {counts}").format(counts=derived),
        pgettext("report", "Reported and derived differ: {count}").format(
            count=sum(r.differs for r in rows)
        ),
        pgettext("report", "Overdue milestones: {count}").format(
            count=sum(r.overdue for r in rows)
        ),
        pgettext("report", "Status older than the last steering meeting: {count}").format(
            count=sum(r.stale for r in rows)
        ),
    ]
    return lines
