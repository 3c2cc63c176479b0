"""Pure domain tests of milestones: given past events, when a command, then these events."""

from datetime import date

import pytest

from milestones.domain import Milestone
from portfolio.domain import Project
from portfolio.errors import Closed, InvalidInput

TODAY = date(2026, 4, 24)


def given_project(*events) -> Project:
    return Project("p1").replay([Project.Created("p", "Projekt", "a1", ("pm",)), *events])


def given_milestone(*events) -> Milestone:
    planned = Milestone.Planned("p1", "", "Go-live", date(2026, 12, 1))
    return Milestone("m1").replay([planned, *events])


def test_replan_keeps_the_original_plan_and_needs_a_reason():
    project = given_project()
    milestone = given_milestone()
    with pytest.raises(InvalidInput) as error:
        milestone.replan(project=project, planned_on=date(2027, 3, 1), reason=" ")
    assert error.value.field == "reason"
    assert milestone.pending == []

    milestone.replan(project=project, planned_on=date(2027, 3, 1), reason="Leverandør forsinket")

    assert milestone.pending == [Milestone.Replanned(date(2027, 3, 1), "Leverandør forsinket")]
    assert (milestone.original_plan, milestone.planned_on) == (date(2026, 12, 1), date(2027, 3, 1))
    assert (milestone.replan_count, milestone.slippage_days) == (1, 90)


def test_achieving_in_the_future_is_refused_and_a_mistake_is_corrected_not_erased():
    project = given_project()
    milestone = given_milestone()
    with pytest.raises(InvalidInput) as error:
        milestone.achieve(project=project, achieved_on=date(2026, 4, 25), today=TODAY)
    assert error.value.field == "achieved_on"

    milestone.achieve(project=project, achieved_on=date(2026, 4, 20), today=TODAY)
    milestone.correct_achievement(project=project, achieved_on=None, reason="Fejl", today=TODAY)

    assert milestone.pending == [
        Milestone.Achieved(date(2026, 4, 20)),
        Milestone.AchievementCorrected(None, "Fejl"),
    ]
    assert milestone.achieved_on is None
    assert milestone.state_on(date(2026, 12, 2)) == "overdue"


def test_milestone_states():
    assert given_milestone().state_on(date(2026, 11, 30)) == "planned"
    assert given_milestone().state_on(date(2026, 12, 2)) == "overdue"
    unscheduled = Milestone("m2").replay([Milestone.Planned("p1", "", "Opstart", None)])
    assert unscheduled.state_on(TODAY) == "unscheduled"


def test_a_closed_project_takes_no_more_changes():
    project = given_project(Project.Closed("done"))
    with pytest.raises(Closed):
        project.update(title="Igen")
    with pytest.raises(Closed):
        given_milestone().replan(project=project, planned_on=date(2027, 1, 1), reason="x")


def test_dates_and_optional_dates_are_read_back_from_json():
    decided = Project.DecisionRecorded("d1", date(2026, 5, 1), "Besluttet", ("m1",))
    assert Project.DecisionRecorded.from_data(decided.to_data()) == decided
    corrected = Milestone.AchievementCorrected(None, "Fejl")
    assert Milestone.AchievementCorrected.from_data(corrected.to_data()) == corrected
    replanned = Milestone.Replanned(date(2027, 3, 1), "Grund")
    assert Milestone.Replanned.from_data({"planned_on": "2027-03-01", "reason": "Grund"}) == (
        replanned
    )


def test_event_payloads_round_trip_through_json():
    event = Milestone.Replanned(date(2027, 3, 1), "Grund")
    assert Milestone.Replanned.from_data(event.to_data()) == event
    assert event.to_data() == {"planned_on": "2027-03-01", "reason": "Grund"}


def test_a_withdrawal_needs_a_reason_and_the_project_open():
    milestone = given_milestone()
    with pytest.raises(InvalidInput) as error:
        milestone.withdraw(project=given_project(), reason=" ")
    assert error.value.field == "reason"
    with pytest.raises(Closed):
        milestone.withdraw(project=given_project(Project.Closed("Færdig")), reason="Fejl")
    assert milestone.pending == []

    milestone.withdraw(project=given_project(), reason="Planlagt to gange")

    assert milestone.pending == [Milestone.Withdrawn("Planlagt to gange")]
    assert milestone.withdrawn
