"""Milestone commands: plan, re-plan (with a reason), retitle, achieve, correct an achievement,
withdraw."""

from datetime import date, datetime

from portfolio.commanding import context, idempotent, new_id, on_member, project_for_write, today
from portfolio.eventstore import repository
from portfolio.eventstore.store import AppendResult

from .domain import Milestone


@idempotent
def milestone_plan(
    *,
    project_id: str,
    track_id: str | None,
    title: str,
    planned_on: date | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    project = project_for_write(actor, project_id)
    return repository.execute(
        Milestone,
        new_id(),
        lambda m: m.plan(project=project, track_id=track_id, title=title, planned_on=planned_on),
        context=context(actor, command_id, known_at=known_at),
        expected_version=0,
    )


@idempotent
def milestone_replan(
    *,
    milestone_id: str,
    planned_on: date | None,
    reason: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        Milestone,
        milestone_id,
        "milestone",
        lambda m, p: m.replan(project=p, planned_on=planned_on, reason=reason),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        reason=reason,
        known_at=known_at,
    )


@idempotent
def milestone_retitle(
    *,
    milestone_id: str,
    title: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
) -> AppendResult:
    return on_member(
        Milestone,
        milestone_id,
        "milestone",
        lambda m, p: m.retitle(project=p, title=title),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
    )


@idempotent
def milestone_achieve(
    *,
    milestone_id: str,
    achieved_on: date,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        Milestone,
        milestone_id,
        "milestone",
        lambda m, p: m.achieve(project=p, achieved_on=achieved_on, today=today(known_at)),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def milestone_correct_achievement(
    *,
    milestone_id: str,
    achieved_on: date | None,
    reason: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        Milestone,
        milestone_id,
        "milestone",
        lambda m, p: m.correct_achievement(
            project=p, achieved_on=achieved_on, reason=reason, today=today(known_at)
        ),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        reason=reason,
        known_at=known_at,
    )


@idempotent
def milestone_withdraw(
    *,
    milestone_id: str,
    reason: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
) -> AppendResult:
    """Withdraw a milestone planned by mistake: gone from the plan, kept in the history."""
    return on_member(
        Milestone,
        milestone_id,
        "milestone",
        lambda m, p: m.withdraw(project=p, reason=reason),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        reason=reason,
    )
