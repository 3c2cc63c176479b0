"""Gather, as of a point, what the derived traffic light of each track of a project is judged on."""

from django.conf import settings
from django.db.models import Q

from milestones.domain import Milestone
from portfolio.domain import NO_TRACK
from portfolio.errors import InvalidInput, NotFound
from portfolio.models import Project as ProjectRow
from portfolio.selectors import NOW, AsOf, ProjectState, project_state
from risks.selectors import biggest_risk

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
    meeting = (
        SteeringMeeting.objects.filter(Q(area_slug=area_slug) | Q(area_slug=""))
        .filter(meets_on__lte=point.day)
        .order_by("-meets_on")
        .first()
    )
    return meeting.meets_on if meeting else None


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
