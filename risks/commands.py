"""Risk commands: raise, assess, revise, change status, mark a track's biggest risk, withdraw."""

from datetime import datetime

from django.db import transaction

from portfolio import domain
from portfolio.commanding import (
    check_manager,
    context,
    existing,
    idempotent,
    new_id,
    on_member,
    project_for_write,
    today,
)
from portfolio.errors import InvalidInput
from portfolio.eventstore import repository
from portfolio.eventstore.store import AppendResult

from .domain import Risk


@idempotent
def risk_raise(
    *,
    project_id: str,
    track_id: str | None,
    title: str,
    description: str = "",
    probability: int | None = None,
    impact: int | None = None,
    owner: str = "",
    mitigation: str = "",
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    project = project_for_write(actor, project_id)
    return repository.execute(
        Risk,
        new_id(),
        lambda r: r.raise_risk(
            project=project,
            track_id=track_id,
            title=title,
            description=description,
            probability=probability,
            impact=impact,
            owner=owner,
            mitigation=mitigation,
        ),
        context=context(actor, command_id, known_at=known_at),
        expected_version=0,
    )


@idempotent
def risk_assess(
    *,
    risk_id: str,
    probability: int | None,
    impact: int | None,
    reason: str = "",
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        Risk,
        risk_id,
        "risk",
        lambda r, p: r.assess(project=p, probability=probability, impact=impact, reason=reason),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        reason=reason,
        known_at=known_at,
    )


@idempotent
def risk_revise(
    *,
    risk_id: str,
    changes: dict,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        Risk,
        risk_id,
        "risk",
        lambda r, p: r.revise(project=p, **changes),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def risk_change_status(
    *,
    risk_id: str,
    status: str,
    reason: str = "",
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    """Mitigate, close, mark occurred or reopen a risk; a closed biggest risk stops being one."""
    with transaction.atomic():
        result = on_member(
            Risk,
            risk_id,
            "risk",
            lambda r, p: r.change_status(
                project=p, status=status, reason=reason, today=today(known_at)
            ),
            actor=actor,
            expected_version=expected_version,
            command_id=command_id,
            reason=reason,
            known_at=known_at,
        )
        if status != "open" and not result.duplicate:
            risk = repository.load(Risk, risk_id)
            repository.execute(
                domain.Project,
                risk.project_id,
                lambda p: _clear_if_biggest(p, risk),
                context=context(actor, None, reason, known_at),
                expected_version=None,
            )
    return result


def _clear_if_biggest(project: domain.Project, risk: Risk) -> None:
    for track_key, risk_id in list(project.biggest_risks.items()):
        if risk_id == risk.id:
            project.mark_biggest_risk(track_id=track_key or None, risk_id=None)


@idempotent
def risk_mark_biggest(
    *,
    risk_id: str,
    expected_version: int | None = None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    """Make an open risk its track's biggest risk (the page's "Største risiko").

    `expected_version` is the project's version: the marking is kept on the project, which
    holds one biggest risk per track.
    """
    risk = existing(repository.load(Risk, risk_id), "risk")
    risk.check_can_be_biggest()

    def mark(project: domain.Project):
        check_manager(actor, project)
        if project.id != risk.project_id:
            raise InvalidInput("risk", "the risk belongs to another project")
        project.mark_biggest_risk(track_id=risk.track_id or None, risk_id=risk.id)

    return repository.execute(
        domain.Project,
        risk.project_id,
        mark,
        context=context(actor, command_id, known_at=known_at),
        expected_version=expected_version,
    )


@idempotent
def risk_withdraw(
    *,
    risk_id: str,
    reason: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
) -> AppendResult:
    """Withdraw a risk raised by mistake: gone from the register (and from being a track's
    biggest risk), kept in the history."""
    with transaction.atomic():
        result = on_member(
            Risk,
            risk_id,
            "risk",
            lambda r, p: r.withdraw(project=p, reason=reason),
            actor=actor,
            expected_version=expected_version,
            command_id=command_id,
            reason=reason,
        )
        if not result.duplicate:
            risk = repository.load(Risk, risk_id)
            repository.execute(
                domain.Project,
                risk.project_id,
                lambda p: _clear_if_biggest(p, risk),
                context=context(actor, None, reason),
                expected_version=None,
            )
    return result
