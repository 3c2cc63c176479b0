"""Reads as of a past time; the change list between two times."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from milestones import commands as milestones
from milestones import selectors
from milestones.domain import Milestone
from milestones.rules import OVERDUE
from portfolio import commands, roles
from portfolio.changes import changes
from portfolio.eventstore import store
from portfolio.selectors import NOW, AsOf, portfolio_states, project_state
from reports.demo.build import at
from risks import commands as risks
from risks.domain import Risk
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    """A project whose milestone is re-planned on 1 May and whose risk is closed on 1 June."""
    pm = factories.user(roles.PROJECT_MANAGERS, username="pm")
    steering = factories.user(roles.STEERING_GROUP)
    project_id = factories.project(pm, slug="hist", known_at=at("2026-04-01"))
    m = factories.milestone(
        pm, project_id, title="Pilot", planned_on=date(2026, 5, 15), known_at=at("2026-04-02")
    )
    r = risks.risk_raise(
        project_id=project_id, track_id=None, title="Test", actor=pm, known_at=at("2026-04-03")
    ).stream_id
    milestones.milestone_replan(
        milestone_id=m,
        planned_on=date(2026, 6, 15),
        reason="Sen levering",
        expected_version=1,
        actor=pm,
        known_at=at("2026-05-01"),
    )
    commands.decision_record(
        project_id=project_id,
        meeting_on=date(2026, 5, 10),
        text="Pilot udskydes",
        affects=[m],
        actor=steering,
        known_at=at("2026-05-10"),
    )
    kpi = commands.kpi_define(
        project_id=project_id, track_id=None, name="Brugere", actor=pm, known_at=at("2026-05-11")
    ).stream_id
    commands.kpi_measure(
        kpi_id=kpi, measured_on=date(2026, 5, 20), value="7", actor=pm, known_at=at("2026-05-20")
    )
    risks.risk_change_status(
        risk_id=r,
        status="closed",
        reason="Løst",
        expected_version=1,
        actor=pm,
        known_at=at("2026-06-01"),
    )
    milestones.milestone_achieve(
        milestone_id=m,
        achieved_on=date(2026, 6, 14),
        expected_version=2,
        actor=pm,
        known_at=at("2026-06-14"),
    )
    return project_id


def test_a_replan_on_1_may_shows_the_old_plan_on_30_april_and_the_new_on_2_may(history):
    [before] = project_state("hist", AsOf.of_date(date(2026, 4, 30))).of_type(Milestone)
    [after] = project_state("hist", AsOf.of_date(date(2026, 5, 2))).of_type(Milestone)
    assert (before.planned_on, before.replan_count) == (date(2026, 5, 15), 0)
    assert (after.planned_on, after.original_plan, after.replan_count) == (
        date(2026, 6, 15),
        date(2026, 5, 15),
        1,
    )
    assert after.replans[0].reason == "Sen levering"


def test_a_risk_closed_later_is_open_as_of_earlier(history):
    def status(as_of=NOW):
        return project_state("hist", as_of).of_type(Risk)[0].status

    assert status(AsOf.of_date(date(2026, 5, 31))) == "open"
    assert status(AsOf.of_date(date(2026, 6, 1))) == "closed"
    assert status() == "closed"


def test_as_of_a_log_position_ignores_what_came_later(history):
    early = project_state("hist", AsOf.of_date(date(2026, 5, 2)))
    pinned = project_state("hist", AsOf(position=early.position))
    assert [m.planned_on for m in pinned.of_type(Milestone)] == [date(2026, 6, 15)]
    assert pinned.of_type(Milestone)[0].achieved_on is None


def test_overdue_as_of_a_date(history):
    def overdue(on, known=None):
        known = AsOf.of_date(known or on)
        return [m.title for _, m in selectors.milestones(known) if m.state_on(on) == OVERDUE]

    assert overdue(date(2026, 5, 16)) == []  # re-planned to 15 June on 1 May
    assert overdue(date(2026, 6, 16), date(2026, 6, 13)) == ["Pilot"]
    assert overdue(date(2026, 6, 16)) == []  # achieved on 14 June


def test_changes_between_two_times_name_each_change_in_between_and_nothing_else(history):
    listed = changes("hist", AsOf.of_date(date(2026, 4, 30)), AsOf.of_date(date(2026, 6, 30)))
    assert [(c.kind, c.subject) for c in listed] == [
        ("replanned", "Pilot"),
        ("decided", "Pilot udskydes"),
        ("added", "Brugere"),
        ("measured", "Brugere"),
        ("closed", "Test"),
        ("achieved", "Pilot"),
    ]
    replan = listed[0]
    assert (replan.field, replan.before, replan.after) == (
        "planned_on",
        date(2026, 5, 15),
        date(2026, 6, 15),
    )
    assert (replan.reason, replan.subject_type) == ("Sen levering", "Milestone")
    assert listed[0].actor == "pm"
    assert changes("hist", AsOf.of_date(date(2026, 7, 1))) == []


def test_changes_after_a_point_decode_only_the_events_after_it(history, monkeypatch):
    # given a project with a long past: forty status reports by the end of June
    pm = User.objects.get(username="pm")
    project_id = project_state("hist").project.id

    def report(rating: str, known: str) -> None:
        commands.status_report(
            project_id=project_id,
            track_id=None,
            rating=rating,
            narrative="Status",
            expected_version=None,
            actor=pm,
            known_at=at(known),
        )

    for _ in range(40):
        report("green", "2026-06-20")
    # and two changes in July
    report("yellow", "2026-07-02")
    report("red", "2026-07-03")
    decoded = []
    decode = store.decode
    monkeypatch.setattr(
        store, "decode", lambda rows: decoded.extend(r.position for r in rows) or decode(rows)
    )

    # when asking what changed in July
    listed = changes("hist", AsOf.of_date(date(2026, 6, 30)))

    # then only July's two events were read one by one; the past came as the state before them
    assert [(c.kind, c.before, c.after) for c in listed] == [
        ("reported", "green", "yellow"),
        ("reported", "yellow", "red"),
    ]
    assert decoded == [c.position for c in listed]


def test_changes_since_a_point_are_the_full_fold_after_it_even_with_back_dated_events(history):
    # given a risk recorded last but back-dated to April, as an import of older history is
    pm = User.objects.get(username="pm")
    risks.risk_raise(
        project_id=project_state("hist").project.id,
        track_id=None,
        title="Efterregistreret",
        actor=pm,
        known_at=at("2026-04-15"),
    )
    everything = changes("hist", None)
    # listed by when it happened, not where the import wrote it in the log
    assert everything[-1].subject != "Efterregistreret"
    assert [(c.known_at, c.position) for c in everything] == sorted(
        (c.known_at, c.position) for c in everything
    )

    for day in (date(2026, 4, 1), date(2026, 4, 10), date(2026, 4, 20), date(2026, 6, 5)):
        since = AsOf.of_date(day)
        assert changes("hist", since) == [c for c in everything if not since.includes(c)]
    by_position = sorted(everything, key=lambda c: c.position)
    pinned = AsOf(position=by_position[2].position)
    assert changes("hist", pinned) == [c for c in everything if c.position > pinned.position]


def test_portfolio_as_of_lists_only_projects_known_then(history):
    pm = factories.user(roles.PROJECT_MANAGERS)
    factories.project(pm, slug="new", title="Ny")
    assert [s.project.slug for s in portfolio_states(AsOf.of_date(date(2026, 6, 1)))] == ["hist"]
    assert {s.project.slug for s in portfolio_states()} == {"hist", "new"}
