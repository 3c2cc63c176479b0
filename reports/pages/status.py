"""What the project page shows, taken from a folded ProjectState: the status page's sections.

The page and the compare view both read these plain structures, never the aggregates' internals
directly, so the two always show a project the same way.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from milestones.domain import Milestone
from portfolio.domain import NO_TRACK
from portfolio.selectors import ProjectState
from portfolio.web.dates import short_day
from risks.domain import Risk
from risks.rules import score_band
from risks.selectors import biggest_risk, register

from .. import wording
from ..derived import track_lights
from .trend import trend_chart


@dataclass
class TrackView:
    key: str  # track id, or "" for the whole project
    name: str
    title: str = ""
    monitoring_note: str = ""
    rating: str | None = None
    narrative: str = ""
    reported_on: date | None = None
    reported: bool = False
    biggest_risk: Risk | None = None
    derived: str = ""  # the derived light (reports.lights); "" when none is derived
    derived_line: str = ""  # it, its reasons and any justification, in the page's language


@dataclass
class MilestoneView:
    number: int
    milestone: Milestone
    track: str
    state: str  # achieved, overdue, planned, unscheduled


@dataclass
class ChartPoint:
    x: str
    y: str
    label: str
    value: str
    measured_on: date


@dataclass
class KpiView:
    id: str
    version: int
    track: str
    track_title: str
    name: str
    description: str
    unit: str
    denominator: int | None
    denominator_label: str
    remark: str
    points: list  # KpiPointState
    chart: dict = field(default_factory=dict)

    @property
    def table_points(self) -> list:
        """Return the measurements the page's table lists: the newest; the history has all."""
        return self.points[-TABLE_ROWS:]

    @property
    def older_count(self) -> int:
        return max(0, len(self.points) - TABLE_ROWS)


def track_views(state: ProjectState) -> list[TrackView]:
    """Return one view per track in order, and one for the whole project when it has content."""
    project = state.project
    views = [TrackView(t.id, t.name, t.title, t.monitoring_note) for t in project.tracks.values()]
    if not views or NO_TRACK in project.statuses or NO_TRACK in project.biggest_risks:
        views.insert(0, TrackView(NO_TRACK, ""))
    lights = track_lights(state, state.as_of)
    for view in views:
        status = project.statuses.get(view.key)
        if status is not None:
            view.rating, view.narrative = status.rating, status.narrative
            view.reported_on, view.reported = status.reported_on, True
        view.biggest_risk = biggest_risk(state, view.key)
        light = lights.get(view.key)
        if light is not None:
            why = project.justifications.get(view.key, (None, ""))[1]
            view.derived = light.rating
            view.derived_line = wording.derived_line(light.rating, light.reasons, view.rating, why)
    return views


def milestone_views(state: ProjectState) -> list[MilestoneView]:
    day = state.as_of.day
    return [
        MilestoneView(n, m, state.track_name(m.track_id) or "", m.state_on(day))
        for n, m in enumerate(state.of_type(Milestone), start=1)
    ]


def named(state: ProjectState, items) -> list[dict]:
    """Attach track names to participant or supplier entries."""
    return [dict(item, track_name=state.track_name(item.get("track", "")) or "") for item in items]


# A two-year series has a hundred points and more; the table lists the newest, the history all.
TABLE_ROWS = 12
# The chart's drawing box, in SVG user units; the SVG scales to the page's width.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 260, 56, 40, 24, 44
# More dated labels than this overlap on the x axis; the table under the chart lists every point.
LABELLED = 10


def chart(points, denominator: int | None) -> dict:
    """Lay out a KPI series as an SVG line chart: coordinates, axis ticks and labels."""
    values = [Decimal(p.value) for p in points]
    top = Decimal(denominator) if denominator else max(values, default=Decimal(1)) * Decimal("1.1")
    top = top if top > 0 else Decimal(1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    days = [p.measured_on.toordinal() for p in points]
    first, span = (min(days), max(days) - min(days)) if days else (0, 0)

    def x(day: int) -> float:
        return LEFT + (inner_w / 2 if span == 0 else inner_w * (day - first) / span)

    def y(value: Decimal) -> float:
        return TOP + inner_h - float(value / top) * inner_h

    laid = [(_c(x(d)), _c(y(v)), p) for d, v, p in zip(days, values, points, strict=True)]
    # Only the labelled points need a date label: a long series has hundreds of points.
    labelled = [
        ChartPoint(px, py, short_day(p.measured_on), p.value, p.measured_on)
        for px, py, p in _spread(laid, LABELLED)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "tick_x": LEFT - 8,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "points": laid,
        "labelled": labelled,
        "polyline": " ".join(f"{px},{py}" for px, py, _ in laid),
        "yticks": [{"y": _c(y(t)), "label": _number(t)} for t in _ticks(top)],
        "label_y": HEIGHT - BOTTOM + 22,
    }


def _spread(points: list, count: int) -> list:
    """Return at most `count` of the points, evenly spread, the first and the last among them."""
    if len(points) <= count:
        return points
    last = len(points) - 1
    return [points[i] for i in sorted({round(n * last / (count - 1)) for n in range(count)})]


def _c(value: float) -> str:
    # Coordinates as text with a dot: the template would write 216,0 in Danish.
    return f"{value:.1f}"


def _ticks(top: Decimal) -> list[Decimal]:
    """Return round gridline values from 0 up to `top` (the denominator when there is one)."""
    raw = top / 4
    steps = [
        m * f
        for m in (Decimal("0.01"), Decimal("0.1"), 1, 10, 100, 1000)
        for f in (1, 2, Decimal("2.5"), 5)
    ]
    step = next((Decimal(s) for s in steps if s >= raw), raw.to_integral_value() or Decimal(1))
    ticks, value = [], Decimal(0)
    while value < top:
        ticks.append(value)
        value += step
    if len(ticks) > 1 and top - ticks[-1] < step / 2:
        ticks.pop()  # too close to the top line to keep both labels legible
    return [*ticks, top]


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def kpi_views(state: ProjectState) -> list[KpiView]:
    views = []
    for kpi in state.kpis:
        track = state.project.tracks.get(kpi.track_id)
        views.append(
            KpiView(
                id=kpi.id,
                version=kpi.version,
                track=track.name if track else "",
                track_title=(track.title or track.name) if track else "",
                name=kpi.name,
                description=kpi.description,
                unit=kpi.unit,
                denominator=kpi.denominator,
                denominator_label=kpi.denominator_label,
                remark=kpi.remark,
                points=list(kpi.points),
                chart=chart(kpi.points, kpi.denominator) if kpi.points else {},
            )
        )
    return views


def page_context(state: ProjectState) -> dict:
    """Return the template context of a status page for this state."""
    project = state.project
    titles = {m.id: m.title for m in state.of_type(Milestone)} | {
        r.id: r.title for r in state.of_type(Risk)
    }
    decisions = [
        {"decision": d, "affects": [titles.get(a, a) for a in d.affects]}
        for d in sorted(project.decisions, key=lambda d: d.meeting_on, reverse=True)
    ]
    tracks = track_views(state)
    milestones = milestone_views(state)
    return {
        "state": state,
        "project": project,
        "area": state.area,
        "tracks": tracks,
        "biggest": [t for t in tracks if t.biggest_risk is not None],
        "participants": named(state, project.participants),
        "suppliers": named(state, project.suppliers),
        "milestones": milestones,
        "trend": trend_chart(state, milestones),
        "risks": [
            {
                "risk": r,
                "track": state.track_name(r.track_id) or "",
                "score": wording.score_word(r),
                "band": (band := score_band(r.score)),
                "band_word": wording.band_word(band),
            }
            for r in register(state)
        ],
        "kpis": kpi_views(state),
        "decisions": decisions,
    }
