"""Gather, as of a point, what the derived traffic light of each track of a project is judged on."""

from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.db import connection
from django.db.models import Max

from milestones.domain import Milestone
from milestones.models import Milestone as MilestoneRow
from portfolio.domain import NO_TRACK
from portfolio.errors import InvalidInput, NotFound
from portfolio.models import Project as ProjectRow
from portfolio.models import Status as StatusRow
from portfolio.models import Track as TrackRow
from portfolio.selectors import NOW, AsOf, ProjectState, project_state
from risks.models import Risk as RiskRow
from risks.selectors import biggest_risk, marked_biggest

from .lights import Light, Thresholds, derive_light, needs_justification, worst
from .models import SteeringMeeting


def thresholds() -> Thresholds:
    """Return the thresholds of the rule table from the settings."""
    return Thresholds(
        red_slip_days=settings.LIGHT_RED_SLIP_DAYS,
        red_overdue_days=settings.LIGHT_RED_OVERDUE_DAYS,
        yellow_slip_days=settings.LIGHT_YELLOW_SLIP_DAYS,
        yellow_overdue_days=settings.LIGHT_YELLOW_OVERDUE_DAYS,
        yellow_risk_score=settings.LIGHT_YELLOW_RISK_SCORE,
    )


def last_meeting(area_slug: str, point: AsOf):
    """Return the date of the last steering meeting of the area (or the whole portfolio) held
    on or before the point's day."""
    return meeting_before(area_slug, point.day, inclusive=True)


def meeting_before(area_slug: str, day: date, *, inclusive: bool = False) -> date | None:
    """Return the date of the area's (or the whole portfolio's) last steering meeting before
    the day (or on it, when inclusive).

    Plain SQL: every project read asks it, and composing the queryset costs more than the
    query itself.
    """
    table = connection.ops.quote_name(SteeringMeeting._meta.db_table)
    held = "<=" if inclusive else "<"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT meets_on FROM {table} WHERE area_slug IN (%s, '')"  # noqa: S608
            f" AND meets_on {held} %s ORDER BY meets_on DESC LIMIT 1",
            [area_slug, day],
        )
        found = cursor.fetchone()
    return found[0] if found else None


def track_lights(state: ProjectState, point: AsOf, meeting=...) -> dict[str, Light]:
    """Return the derived light of each track of the project ("" for the project as a whole).

    `meeting` is the last steering meeting's date when the caller has looked it up already.
    """
    project = state.project
    milestones = state.of_type(Milestone)
    keys = list(project.tracks)
    if not keys or NO_TRACK in project.statuses or any(m.track_id == NO_TRACK for m in milestones):
        keys.append(NO_TRACK)
    if meeting is ...:
        meeting = last_meeting(getattr(state.area, "slug", ""), point)
    limits = thresholds()
    lights = {}
    for key in keys:
        risk, status = biggest_risk(state, key), project.statuses.get(key)
        lights[key] = derive_light(
            milestones=[m for m in milestones if m.track_id == key],
            risk_title=risk.title if risk else "",
            risk_score=risk.score if risk else None,
            reported_on=status.reported_on if status else None,
            last_meeting=meeting,
            today=point.day,
            thresholds=limits,
        )
    return lights


class _Plan(NamedTuple):
    """An open milestone as the rule reads it (lights.PlannedMilestone)."""

    title: str
    original_plan: date | None
    planned_on: date | None
    achieved_on: date | None


def last_meetings(day: date) -> dict[str, date]:
    """Return, per area slug ("" for the whole portfolio), its last steering meeting held on or
    before the day: what meeting_of reads for many projects, in one query."""
    held = SteeringMeeting.objects.filter(meets_on__lte=day).values("area_slug")
    return {row["area_slug"]: row["last"] for row in held.annotate(last=Max("meets_on"))}


def meeting_of(meetings: dict[str, date], area_slug: str) -> date | None:
    """Return the last meeting that concerns an area: its own or the whole portfolio's."""
    return max(filter(None, (meetings.get(area_slug), meetings.get(""))), default=None)


def current_lights(
    projects: list[ProjectRow],
    today: date,
    *,
    biggest: dict[tuple[str, str], RiskRow] | None = None,
    meetings: dict[str, date] | None = None,
) -> dict[str, Light]:
    """Return each project's light today, judged as track_lights judges a folded state but
    gathered from the read models in a few queries, for pages that list many projects.

    `biggest` (risks.selectors.marked_biggest) and `meetings` (last_meetings) may be passed by
    a caller that has read them already.
    """
    ids = [p.id for p in projects]
    tracks = defaultdict(list)
    for project_id, track_id in TrackRow.objects.filter(project_id__in=ids).values_list(
        "project_id", "id"
    ):
        tracks[project_id].append(track_id)
    reported = {
        (project_id, track_id or NO_TRACK): day
        for project_id, track_id, day in StatusRow.objects.filter(
            project_id__in=ids, reported_on__isnull=False
        ).values_list("project_id", "track_id", "reported_on")
    }
    # Plain tuples, not model instances: the rule reads four fields of thousands of rows.
    open_milestones = defaultdict(list)
    for project_id, track_id, *plan in MilestoneRow.objects.filter(
        project_id__in=ids, achieved_on=None
    ).values_list("project_id", "track_id", *_Plan._fields):
        open_milestones[(project_id, track_id or NO_TRACK)].append(_Plan(*plan))
    risks = marked_biggest(ids) if biggest is None else biggest
    meetings = last_meetings(today) if meetings is None else meetings
    limits, found = thresholds(), {}
    for project in projects:
        meeting = meeting_of(meetings, project.area.slug if project.area_id else "")
        keys = list(tracks[project.id])
        if (
            not keys
            or (project.id, NO_TRACK) in reported
            or open_milestones[(project.id, NO_TRACK)]
        ):
            keys.append(NO_TRACK)
        lights = []
        for key in keys:
            risk = risks.get((project.id, key))
            lights.append(
                derive_light(
                    milestones=open_milestones[(project.id, key)],
                    risk_title=risk.title if risk else "",
                    risk_score=risk.score if risk else None,
                    reported_on=reported.get((project.id, key)),
                    last_meeting=meeting,
                    today=today,
                    thresholds=limits,
                )
            )
        found[project.id] = worst(lights)
    return found


def project_light(lights: dict[str, Light]) -> Light:
    """Return the project's light: the worst of its tracks'."""
    return worst(lights.values())


def check_justified(project_id: str, track_id: str | None, rating: str | None, why: str) -> None:
    """Refuse a rating that differs from today's derived light without a justification."""
    if why.strip():
        return
    slug = ProjectRow.objects.filter(id=project_id).values_list("slug", flat=True).first()
    state = project_state(slug, NOW) if slug else None
    if state is None:
        raise NotFound("project", f"no project {project_id}")
    light = track_lights(state, NOW).get(track_id or NO_TRACK)
    if light is not None and needs_justification(rating, light.rating):
        raise InvalidInput(
            "justification",
            f"the rating {rating} differs from the derived {light.rating}: say why",
        )
