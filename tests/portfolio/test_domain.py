"""Pure domain tests: given past events, when a command, then these events (or this error)."""

from datetime import date

import pytest

from milestones.domain import Milestone
from portfolio.domain import Kpi, Project
from portfolio.errors import Closed, InvalidInput, NotFound
from risks.domain import Risk

TODAY = date(2026, 4, 24)


def given_project(*events) -> Project:
    return Project("p1").replay([Project.Created("p", "Projekt", "a1", ("pm",)), *events])


def given_milestone(*events) -> Milestone:
    planned = Milestone.Planned("p1", "", "Go-live", date(2026, 12, 1))
    return Milestone("m1").replay([planned, *events])


def test_creating_a_project_triggers_created():
    project = Project("p1")
    project.create(slug="p", title=" Projekt ", area_id="a1", managers=["pm"])
    assert project.pending == [Project.Created("p", "Projekt", "a1", ("pm",))]


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "  "}, "title"),
        ({"read_more": {"url": "javascript:alert(1)"}}, "read_more.url"),
        ({"suppliers": [{"name": "X", "state": "maybe"}]}, "suppliers[0].state"),
        ({"suppliers": [{"name": "", "state": "decided"}]}, "suppliers[0].name"),
        ({"participants": [{"track": "nope", "text": "KL"}]}, "participants[0].track"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_project_input_names_the_field_and_triggers_nothing(changes, field):
    project = given_project()
    with pytest.raises((InvalidInput, NotFound)) as error:
        project.update(**{"project_leader": "Ny leder", **changes})
    assert error.value.field == field
    assert project.pending == []


def test_update_triggers_one_event_per_changed_field_only():
    project = given_project(Project.LeaderNamed("Dorthe"))
    project.update(project_leader="Dorthe", title="Nyt navn", purpose="**Formål**")
    assert project.pending == [Project.Retitled("Nyt navn"), Project.PurposeStated("**Formål**")]


def test_status_per_track_with_rating_and_unknown_track_refused():
    project = given_project(Project.TrackAdded("t1", "LTT"))
    project.report_status(
        track_id="t1", rating="yellow", narrative="Forsinket", reported_on=TODAY, today=TODAY
    )
    assert project.statuses["t1"].rating == "yellow"
    assert project.status_date == TODAY
    with pytest.raises(NotFound) as error:
        project.report_status(
            track_id="t9", rating="red", narrative="", reported_on=TODAY, today=TODAY
        )
    assert error.value.field == "track"
    with pytest.raises(InvalidInput, match="rating"):
        project.report_status(
            track_id="t1", rating="purple", narrative="", reported_on=TODAY, today=TODAY
        )


def test_a_closed_project_takes_no_more_changes():
    project = given_project(Project.Closed("done"))
    with pytest.raises(Closed):
        project.update(title="Igen")
    with pytest.raises(Closed):
        given_milestone().replan(project=project, planned_on=date(2027, 1, 1), reason="x")


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


@pytest.mark.parametrize("probability", [0, 6, "3", 2.5, True])
def test_risk_probability_outside_1_to_5_is_refused(probability):
    risk = Risk("r1")
    with pytest.raises(InvalidInput) as error:
        risk.raise_risk(project=given_project(), track_id=None, title="R", probability=probability)
    assert error.value.field == "probability"
    assert risk.pending == []


def test_every_risk_assessment_is_kept():
    project = given_project()
    risk = Risk("r1")
    risk.raise_risk(project=project, track_id=None, title="R", probability=2, impact=3)
    risk.assess(project=project, probability=4, impact=5, reason="Værre")
    assert [(a.probability, a.impact) for a in risk.assessments] == [(2, 3), (4, 5)]
    assert risk.score == 20


def test_kpi_points_are_decimal_text_and_measurement_dates_not_in_the_future():
    project = given_project()
    kpi = Kpi("k1")
    kpi.define(project=project, track_id=None, name="Kommuner", denominator=98)
    kpi.measure(project=project, measured_on=TODAY, value="40,0", source="SOR", today=TODAY)
    assert kpi.points[-1].value == "40"
    with pytest.raises(InvalidInput) as error:
        kpi.measure(project=project, measured_on=TODAY, value="fyrre", source="", today=TODAY)
    assert error.value.field == "value"
    with pytest.raises(InvalidInput) as error:
        kpi.define(project=project, track_id=None, name="X", denominator=0)


def test_kpi_points_stay_in_date_order_and_a_date_measured_again_replaces_its_point():
    # given / when: measurements in order, one before them, and one date measured again
    kpi = Kpi("k1").replay(
        [Kpi.Measured(date(2026, 1, n), str(n)) for n in (3, 5)]
        + [Kpi.Measured(date(2026, 1, 1), "1"), Kpi.Measured(date(2026, 1, 3), "3b")]
        + [Kpi.Measured(date(2026, 1, 5), "5b"), Kpi.Measured(date(2026, 1, 7), "7")]
    )

    # then
    assert [(p.measured_on.day, p.value) for p in kpi.points] == [
        (1, "1"),
        (3, "3b"),
        (5, "5b"),
        (7, "7"),
    ]


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
