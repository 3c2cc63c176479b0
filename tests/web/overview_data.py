"""A small portfolio for the steering group's overview: three projects, one steering meeting."""

from dataclasses import dataclass
from datetime import date, timedelta

from milestones.commands import milestone_plan
from portfolio import commands
from reports.models import SteeringMeeting
from risks.commands import risk_mark_biggest, risk_raise
from tests import factories


@dataclass
class Portfolio:
    today: date
    meeting: date
    slugs: dict[str, str]  # title -> slug


def _project(
    manager, area_id, title, leader, today, *, reported_days_ago, rating, overdue_days, score
):
    slug = title.lower()
    project_id = factories.project(manager, area_id=area_id, slug=slug, title=title)
    commands.project_update(
        project_id=project_id,
        changes={"project_leader": leader},
        expected_version=None,
        actor=manager,
    )
    commands.status_report(
        project_id=project_id,
        track_id=None,
        rating=rating,
        narrative="Status",
        reported_on=today - timedelta(days=reported_days_ago),
        justification="Vi kender sagen",
        expected_version=None,
        actor=manager,
    )
    if overdue_days is not None:
        milestone_plan(
            project_id=project_id,
            track_id=None,
            title=f"{title} leverance",
            planned_on=today - timedelta(days=overdue_days),
            actor=manager,
        )
    risk = risk_raise(
        project_id=project_id,
        track_id=None,
        title=f"{title} risiko",
        probability=score[0],
        impact=score[1],
        actor=manager,
    ).stream_id
    risk_mark_biggest(risk_id=risk, actor=manager)
    return slug


def steering_portfolio(manager, today: date) -> Portfolio:
    """Alfa reported before the last meeting and is late (derived red, outdated); Beta is fresh
    and on plan (green); Gamma is fresh but a milestone is a few days late (yellow)."""
    area_id = factories.area(slug="kommuner", name="Kommuneområdet")
    meeting = today - timedelta(days=10)
    SteeringMeeting.objects.create(area_slug="", meets_on=meeting)
    slugs = {
        "Alfa": _project(
            manager,
            area_id,
            "Alfa",
            "Bo Berg",
            today,
            reported_days_ago=20,
            rating="green",
            overdue_days=40,
            score=(4, 5),
        ),
        "Beta": _project(
            manager,
            area_id,
            "Beta",
            "Anne Ager",
            today,
            reported_days_ago=2,
            rating="green",
            overdue_days=None,
            score=(2, 3),
        ),
        "Gamma": _project(
            manager,
            area_id,
            "Gamma",
            "Carl Cort",
            today,
            reported_days_ago=5,
            rating="yellow",
            overdue_days=5,
            score=(3, 3),
        ),
    }
    return Portfolio(today, meeting, slugs)
