"""As-of reads through project snapshots give exactly what folding every event gives."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from milestones import commands as milestones
from milestones.domain import Milestone
from portfolio import commands, domain, project_snapshots, roles
from portfolio.eventstore import repository
from portfolio.models import ProjectSnapshot
from portfolio.selectors import AsOf, end_of_day, project_state
from reports.demo.build import at
from tests import factories

pytestmark = pytest.mark.django_db


def comparable(aggregate) -> dict:
    return {k: v for k, v in vars(aggregate).items() if k != "pending"}


@pytest.mark.parametrize("every", [3, 10])
def test_project_as_of_every_day_equals_a_fold_of_all_events(monkeypatch, every):
    # given: a month of daily status reports and re-plans, snapshots every few events
    monkeypatch.setattr(project_snapshots, "EVERY", every)
    pm = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(pm, slug="daily", known_at=at("2026-03-01"))
    milestone_id = factories.milestone(
        pm, project_id, planned_on=date(2026, 9, 1), known_at=at("2026-03-01")
    )
    for n in range(1, 31):
        day = date(2026, 3, 1) + timedelta(days=n)
        commands.status_report(
            project_id=project_id,
            track_id=None,
            rating=["green", "yellow", "red"][n % 3],
            narrative=f"Dag {n}",
            reported_on=day,
            expected_version=None,
            actor=pm,
            known_at=at(day.isoformat()),
        )
        milestones.milestone_replan(
            milestone_id=milestone_id,
            planned_on=date(2026, 9, 1) + timedelta(days=n),
            reason=f"Grund {n}",
            expected_version=None,
            actor=pm,
            known_at=at(day.isoformat(), 11),
        )
    assert ProjectSnapshot.objects.filter(project_id=project_id).count() >= 61 // every

    # when / then: every day's as-of read equals the plain fold
    for n in range(0, 32):
        day = date(2026, 3, 1) + timedelta(days=n)
        state = project_state("daily", AsOf.of_date(day))
        fold = repository.load(domain.Project, project_id, known_by=end_of_day(day))
        assert comparable(state.project) == comparable(fold)
        milestone = repository.load(Milestone, milestone_id, known_by=end_of_day(day))
        assert comparable(state.of_type(Milestone)[0]) == comparable(milestone)
    now = project_state("daily")
    assert now.project.statuses[""].narrative == "Dag 30"
    assert now.of_type(Milestone)[0].replan_count == 30


def test_snapshots_are_a_cache_dropping_them_changes_no_answer(monkeypatch):
    monkeypatch.setattr(project_snapshots, "EVERY", 5)
    call_command("load_demo")
    slug = "eksempel-demoprojekt"
    points = [AsOf.of_date(date(2026, m, 1)) for m in range(1, 12)] + [AsOf()]
    with_snapshots = [comparable(project_state(slug, p).project) for p in points]
    assert ProjectSnapshot.objects.exists()
    ProjectSnapshot.objects.all().delete()
    assert [comparable(project_state(slug, p).project) for p in points] == with_snapshots


def test_milestones_keep_the_order_they_were_planned_in_whether_snapshotted_or_not(monkeypatch):
    # given: three milestones, the middle one re-planned often enough for a project snapshot
    monkeypatch.setattr(project_snapshots, "EVERY", 5)
    pm = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(pm, slug="order")
    ids = [
        milestones.milestone_plan(
            project_id=project_id, track_id=None, title=t, planned_on=None, actor=pm
        ).stream_id
        for t in ("A", "B", "C")
    ]
    for n in range(1, 6):
        milestones.milestone_replan(
            milestone_id=ids[1],
            planned_on=date(2027, 1, n),
            reason="r",
            expected_version=None,
            actor=pm,
        )
    assert ProjectSnapshot.objects.filter(project_id=project_id).exists()

    # when / then
    assert [m.title for m in project_state("order").of_type(Milestone)] == ["A", "B", "C"]
