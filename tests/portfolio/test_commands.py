"""Commands through the domain: rules, permissions, idempotency and conflicts, on the database."""

from datetime import date

import pytest

from milestones import commands as milestones
from milestones.models import Milestone
from portfolio import commands, roles
from portfolio.errors import Closed, InvalidInput, NotAllowed, Taken
from portfolio.eventstore.errors import ConcurrencyConflict
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Area as AreaRow
from portfolio.models import Project
from risks import commands as risks
from risks.models import Risk
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pm():
    return factories.user(roles.PROJECT_MANAGERS, username="pm")


@pytest.fixture
def project_id(pm):
    return factories.project(pm, title="Eksempel")


def plan(pm, project_id, **kwargs):
    args = {"track_id": None, "title": "Go-live", "planned_on": date(2026, 12, 1)} | kwargs
    return milestones.milestone_plan(project_id=project_id, actor=pm, **args)


def test_a_rejected_command_appends_nothing_and_names_the_field(pm, project_id):
    before = StoredEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        plan(pm, project_id, title="")
    assert error.value.field == "title"
    with pytest.raises(InvalidInput) as error:
        risks.risk_raise(project_id=project_id, track_id=None, title="R", impact=9, actor=pm)
    assert error.value.field == "impact"
    assert StoredEvent.objects.count() == before


def test_only_the_projects_managers_may_change_it(pm, project_id):
    other_pm = factories.user(roles.PROJECT_MANAGERS)
    steering = factories.user(roles.STEERING_GROUP)
    reader = factories.user(roles.API_READERS)
    for actor in (other_pm, steering, reader):
        with pytest.raises(NotAllowed):
            plan(actor, project_id)
    assert plan(factories.admin(), project_id).version == 1
    assert plan(pm, project_id).version == 1


def test_steering_group_records_decisions_that_name_milestones(pm, project_id):
    milestone_id = plan(pm, project_id).stream_id
    steering = factories.user(roles.STEERING_GROUP)
    with pytest.raises(NotAllowed):
        commands.decision_record(
            project_id=project_id, meeting_on=date(2026, 6, 9), text="Godkendt", actor=pm
        )
    with pytest.raises(InvalidInput) as error:
        commands.decision_record(
            project_id=project_id,
            meeting_on=date(2026, 6, 9),
            text="Godkendt",
            affects=["not-a-milestone"],
            actor=steering,
        )
    assert error.value.field == "affects"
    commands.decision_record(
        project_id=project_id,
        meeting_on=date(2026, 6, 9),
        text="Godkendt",
        affects=[milestone_id],
        actor=steering,
    )
    assert Project.objects.get(id=project_id).decisions.get().affects == [milestone_id]


def test_a_decision_cannot_name_another_projects_milestone_or_a_kpi(pm, project_id):
    # given
    other = factories.project(pm, title="Andet")
    foreign = plan(pm, other).stream_id
    kpi = commands.kpi_define(
        project_id=project_id, track_id=None, name="Kommuner", actor=pm
    ).stream_id
    steering = factories.user(roles.STEERING_GROUP)

    for named in (foreign, kpi):
        # when
        with pytest.raises(InvalidInput) as error:
            commands.decision_record(
                project_id=project_id,
                meeting_on=date(2026, 6, 9),
                text="Godkendt",
                affects=[named],
                actor=steering,
            )
        # then
        assert error.value.field == "affects" and named in error.value.message
    assert not Project.objects.get(id=project_id).decisions.exists()


def test_stale_expected_version_is_a_conflict_and_nothing_is_overwritten(pm, project_id):
    milestone_id = plan(pm, project_id).stream_id
    milestones.milestone_replan(
        milestone_id=milestone_id,
        planned_on=date(2027, 1, 1),
        reason="A",
        expected_version=1,
        actor=pm,
    )
    with pytest.raises(ConcurrencyConflict):
        milestones.milestone_replan(
            milestone_id=milestone_id,
            planned_on=date(2027, 2, 1),
            reason="B",
            expected_version=1,
            actor=pm,
        )
    assert Milestone.objects.get(id=milestone_id).planned_on == date(2027, 1, 1)


def test_a_retried_command_answers_the_first_result_and_appends_once(pm, project_id):
    first = plan(pm, project_id, command_id="retry-1")
    again = plan(pm, project_id, command_id="retry-1")
    assert again.duplicate and again.stream_id == first.stream_id
    assert Milestone.objects.filter(project_id=project_id).count() == 1
    create = {"slug": "same-slug", "title": "T", "area_id": factories.area(), "actor": pm}
    created = commands.project_create(**create, command_id="create-1")
    assert commands.project_create(**create, command_id="create-1").stream_id == created.stream_id
    with pytest.raises(Taken) as error:
        commands.project_create(**create)
    assert error.value.field == "slug"


def test_a_closed_project_refuses_changes(pm, project_id):
    milestone_id = plan(pm, project_id).stream_id
    commands.project_close(project_id=project_id, reason="Afsluttet", expected_version=1, actor=pm)
    with pytest.raises(Closed):
        milestones.milestone_achieve(
            milestone_id=milestone_id, achieved_on=date(2026, 1, 1), expected_version=1, actor=pm
        )
    with pytest.raises(Closed):
        commands.project_update(
            project_id=project_id, changes={"title": "X"}, expected_version=None, actor=pm
        )


def test_biggest_risk_is_one_open_risk_per_track_and_closing_clears_it(pm, project_id):
    first = risks.risk_raise(project_id=project_id, track_id=None, title="A", actor=pm).stream_id
    second = risks.risk_raise(project_id=project_id, track_id=None, title="B", actor=pm).stream_id
    risks.risk_mark_biggest(risk_id=first, actor=pm)
    risks.risk_mark_biggest(risk_id=second, actor=pm)
    status = Project.objects.get(id=project_id).statuses.get()
    assert status.biggest_risk_id == second

    risks.risk_change_status(
        risk_id=second, status="closed", reason="Løst", expected_version=None, actor=pm
    )

    status.refresh_from_db()
    assert status.biggest_risk_id == ""
    assert Risk.objects.get(id=second).status == "closed"
    with pytest.raises(InvalidInput, match="open risk"):
        risks.risk_mark_biggest(risk_id=second, actor=pm)


def test_an_administrator_reopens_a_closed_project_and_its_managers_may_change_it_again(
    pm, project_id
):
    # given: a closed project
    commands.project_close(project_id=project_id, reason="Afsluttet", expected_version=1, actor=pm)
    # when: its manager tries to reopen it, and then an administrator does
    with pytest.raises(NotAllowed):
        commands.project_reopen(
            project_id=project_id, reason="Ny fase", expected_version=2, actor=pm
        )
    admin = factories.admin()
    commands.project_reopen(
        project_id=project_id, reason="Ny fase", expected_version=2, actor=admin
    )
    # then: it is open, its manager may change it, and reopening again is refused by name
    assert Project.objects.get(id=project_id).closed is False
    commands.project_update(
        project_id=project_id, changes={"title": "Fase 2"}, expected_version=3, actor=pm
    )
    with pytest.raises(InvalidInput) as error:
        commands.project_reopen(
            project_id=project_id, reason="Igen", expected_version=4, actor=admin
        )
    assert error.value.field == "project"


def test_only_an_administrator_renames_an_area_and_a_stale_rename_is_a_conflict(pm):
    admin = factories.admin()
    area_id = commands.area_create(slug="omr", name="Område", actor=admin).stream_id
    with pytest.raises(NotAllowed):
        commands.area_rename(area_id=area_id, name="Nyt", expected_version=1, actor=pm)
    commands.area_rename(area_id=area_id, name="Kommuneområdet", expected_version=1, actor=admin)
    with pytest.raises(ConcurrencyConflict):
        commands.area_rename(
            area_id=area_id, name="Regionsområdet", expected_version=1, actor=admin
        )
    with pytest.raises(InvalidInput) as error:
        commands.area_rename(area_id=area_id, name="  ", expected_version=2, actor=admin)
    assert error.value.field == "name"
    area = AreaRow.objects.get(id=area_id)
    assert (area.slug, area.name, area.version) == ("omr", "Kommuneområdet", 2)
