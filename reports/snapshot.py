"""A frozen snapshot of everything a status page shows, as of one point in the log.

Rendering (PDF, HTML twin) reads only these dataclasses, never the database, so the same
snapshot always renders the same bytes. Rich-text fields hold the Markdown-subset source text.
"""

from dataclasses import dataclass
from datetime import date, datetime

from portfolio.domain.change import Change


@dataclass(frozen=True)
class Participant:
    track: str | None  # track name, None for the whole project
    text: str


@dataclass(frozen=True)
class Supplier:
    track: str | None
    name: str  # may be empty when state is "not_decided"
    state: str  # one of portfolio.checks.SUPPLIER_STATES


@dataclass(frozen=True)
class TrackStatus:
    track: str | None
    rating: str | None  # one of portfolio.checks.RATINGS, None when never rated
    narrative: str  # rich text
    reported_on: date | None


@dataclass(frozen=True)
class TrackLight:
    """A track's derived traffic light beside its reported rating (reports.lights)."""

    track: str | None
    rating: str | None  # reported
    derived: str
    reasons: tuple  # of reports.lights.Reason
    justification: str  # why the reported rating differs, "" when not given


@dataclass(frozen=True)
class RiskLine:
    track: str | None
    title: str
    description: str  # rich text
    probability: int | None  # 1-5
    impact: int | None  # 1-5
    status: str  # open, mitigated, closed, occurred
    mitigation: str = ""  # rich text

    @property
    def score(self) -> int | None:
        """Return probability x impact, or None until both are assessed."""
        return self.probability * self.impact if self.probability and self.impact else None


@dataclass(frozen=True)
class MilestoneRow:
    number: int
    title: str
    track: str | None
    original_plan: date | None
    current_plan: date | None
    achieved_on: date | None
    overdue: bool
    replan_count: int
    # (day the plan became known, the planned date) from the first plan on: the trend analysis
    plans: tuple[tuple[date, date | None], ...] = ()

    @property
    def planned_on(self) -> date | None:
        """The current plan, by the name milestones.rules reads."""
        return self.current_plan


@dataclass(frozen=True)
class KpiPoint:
    measured_on: date
    value: str  # a decimal as text, e.g. "40"
    source: str


@dataclass(frozen=True)
class KpiSeries:
    track: str | None
    name: str  # the chart's title
    description: str  # rich text shown above the chart
    unit: str
    denominator: int | None  # e.g. 98
    denominator_label: str  # e.g. "98 kommuner"
    points: tuple[KpiPoint, ...]
    remark: str  # rich text under the chart ("Bemærkning")


@dataclass(frozen=True)
class Decision:
    meeting_on: date
    text: str  # rich text
    affects: tuple[str, ...]  # titles of milestones and risks


@dataclass(frozen=True)
class Track:
    name: str  # short name used across the page, e.g. "LTT"
    title: str  # full title, e.g. "Lettilgængelige tilbud til børn og unge i mistrivsel"
    monitoring_note: str  # rich text shown in the monitoring section


@dataclass(frozen=True)
class StatusPageSnapshot:
    project_slug: str
    area: str
    title: str
    status_date: date | None
    project_leader: str
    participants: tuple[Participant, ...]
    suppliers: tuple[Supplier, ...]
    purpose: str  # rich text
    read_more_label: str
    read_more_url: str
    read_more_note: str
    tracks: tuple[Track, ...]
    statuses: tuple[TrackStatus, ...]
    biggest_risks: tuple[RiskLine, ...]  # the top risks: biggest per track, then high scores
    milestone_note: str  # rich text shown with the milestone table
    milestones: tuple[MilestoneRow, ...]
    kpis: tuple[KpiSeries, ...]
    decisions: tuple[Decision, ...]
    changes_since: datetime | None
    changes: tuple[Change, ...]
    as_of_position: int
    as_of_time: datetime
    language: str = "da"
    closed: bool = False
    lights: tuple[TrackLight, ...] = ()
    risks: tuple[RiskLine, ...] = ()  # the open risk register, highest score first
    last_meeting: date | None = None  # the area's last steering meeting by the as-of day
