"""A milestone's state on a day: the domain's rule and the read model's query agree."""

from datetime import date, timedelta

import pytest

from milestones import commands
from milestones.domain import Milestone
from milestones.models import Milestone as MilestoneRow
from milestones.rules import STATES, next_milestone, state_of
from portfolio import roles
from portfolio.eventstore import repository
from tests import factories

DAY = date(2026, 6, 10)
ONE = timedelta(days=1)


def test_state_on_a_day():
    assert state_of(DAY, None, DAY) == "planned"  # due today is not overdue yet
    assert state_of(DAY - ONE, None, DAY) == "overdue"
    assert state_of(DAY - 30 * ONE, DAY - 40 * ONE, DAY) == "achieved"  # never overdue
    assert state_of(None, DAY, DAY) == "achieved"
    assert state_of(None, None, DAY) == "unscheduled"


def test_next_milestone_is_the_earliest_still_planned_first_of_a_tie():
    given = [
        Milestone.Planned("p", "", "Overdue", DAY - ONE),
        Milestone.Planned("p", "", "Today", DAY),
        Milestone.Planned("p", "", "Also today", DAY),
        Milestone.Planned("p", "", "Unscheduled", None),
    ]
    milestones = [Milestone(f"m{n}").replay([event]) for n, event in enumerate(given)]
    assert next_milestone(milestones, DAY).title == "Today"
    assert next_milestone(milestones, DAY + ONE) is None


@pytest.fixture
def planned(db):
    """Milestones in every state around DAY: (plan, achieved on, re-planned to)."""
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager)
    shapes = [
        (DAY, None, None),
        (DAY - ONE, None, None),
        (DAY + ONE, None, None),
        (None, None, None),
        (None, DAY - 3 * ONE, None),
        (DAY - 5 * ONE, DAY - 9 * ONE, None),
        (DAY - 20 * ONE, DAY + ONE, None),
        (DAY - 10 * ONE, None, DAY + 2 * ONE),
        (None, None, DAY - 2 * ONE),
    ]
    ids = []
    for n, (plan, achieved_on, replan) in enumerate(shapes):
        milestone_id = commands.milestone_plan(
            project_id=project_id, track_id=None, title=f"M{n}", planned_on=plan, actor=manager
        ).stream_id
        version = 1
        if replan is not None:
            commands.milestone_replan(
                milestone_id=milestone_id,
                planned_on=replan,
                reason="Flyttet",
                expected_version=version,
                actor=manager,
            )
            version += 1
        if achieved_on is not None:
            commands.milestone_achieve(
                milestone_id=milestone_id,
                achieved_on=achieved_on,
                expected_version=version,
                actor=manager,
            )
        ids.append(milestone_id)
    return project_id, [repository.load(Milestone, i) for i in ids]


@pytest.mark.parametrize("offset", range(-11, 4))
def test_the_read_model_query_and_the_domain_give_the_same_states(planned, offset):
    project_id, aggregates = planned
    day = DAY + offset * ONE
    rows = MilestoneRow.objects.filter(project_id=project_id)
    for state in STATES:
        expected = {m.id for m in aggregates if m.state_on(day) == state}
        assert set(rows.in_state(state, on=day).values_list("id", flat=True)) == expected, state
        assert {r.id for r in rows if r.state_on(day) == state} == expected, state
    either = {m.id for m in aggregates if m.state_on(day) in ("planned", "overdue")}
    assert set(rows.in_state("planned", "overdue", on=day).values_list("id", flat=True)) == either
    from_rows, from_aggregates = next_milestone(rows, day), next_milestone(aggregates, day)
    assert getattr(from_rows, "id", None) == getattr(from_aggregates, "id", None)


def test_the_read_model_keeps_the_original_plan_the_domain_folds(planned):
    project_id, aggregates = planned
    rows = {r.id: r for r in MilestoneRow.objects.filter(project_id=project_id)}
    for m in aggregates:
        row = rows[m.id]
        assert (row.original_plan, row.planned_on) == (m.original_plan, m.planned_on), m.title
    undated_then_replanned = aggregates[-1]
    assert undated_then_replanned.original_plan == DAY - 2 * ONE
