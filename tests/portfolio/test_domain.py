"""Pure domain tests: given past events, when a command, then these events (or this error)."""

from datetime import date

import pytest

from portfolio.domain import Kpi, Project
from portfolio.errors import InvalidInput, NotFound

TODAY = date(2026, 4, 24)


def given_project(*events) -> Project:
    return Project("p1").replay([Project.Created("p", "Projekt", "a1", ("pm",)), *events])


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
