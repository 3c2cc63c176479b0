"""What every command shares: the actor's context, today's date, and the write checks."""

import functools
import uuid
from datetime import date, datetime

from django.utils import timezone

from . import domain, roles
from .errors import NotAllowed, NotFound, Withdrawn
from .eventstore import repository, store
from .eventstore.repository import Context


def idempotent(command):
    """Answer a command id seen before with its first result, before any check runs.

    A retried "create" must not fail because its first attempt already took the slug.
    """

    @functools.wraps(command)
    def run(*args, command_id: str | None = None, **kwargs):
        if command_id is not None and (done := store.previous_result(command_id)):
            return done
        return command(*args, command_id=command_id, **kwargs)

    return run


def context(actor, command_id: str | None, reason: str = "", known_at: datetime | None = None):
    """Return the event-store context of a command run by `actor` (a Django user)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("actor", "log in first")
    return Context(
        actor=actor.get_username(), command_id=command_id, reason=reason, known_at=known_at
    )


def today(known_at: datetime | None = None) -> date:
    """Return the business date a command runs on: today, or the imported history's date."""
    return timezone.localdate(known_at) if known_at else timezone.localdate()


def new_id() -> str:
    return str(uuid.uuid4())


def project_for_write(actor, project_id: str) -> domain.Project:
    """Return the project, if it exists and `actor` may change it."""
    return check_manager(actor, repository.load(domain.Project, project_id))


def check_manager(actor, project: domain.Project) -> domain.Project:
    """Return the project if it exists and `actor` manages it (or administers the site)."""
    if not project.exists:
        raise NotFound("project", "no such project")
    if not roles.can_manage_project(actor, project.managers):
        raise NotAllowed("project", "only the project's managers may change it")
    return project


def existing(aggregate, what: str):
    """Return the aggregate if it exists and was not withdrawn (a withdrawn one stays in the
    log, for the history, but takes no more changes)."""
    if not aggregate.exists:
        raise NotFound(what, f"no such {what}")
    if getattr(aggregate, "withdrawn", False):
        raise Withdrawn(what, f"the {what} is withdrawn")
    return aggregate


def on_member(
    cls,
    aggregate_id: str,
    what: str,
    decide,
    *,
    actor,
    expected_version: int | None,
    command_id: str | None,
    reason: str = "",
    known_at: datetime | None = None,
):
    """Run `decide(aggregate, project)` on a milestone, risk or KPI of a project the actor
    manages, and append what it triggers."""

    def checked(aggregate):
        existing(aggregate, what)
        decide(aggregate, project_for_write(actor, aggregate.project_id))

    return repository.execute(
        cls,
        aggregate_id,
        checked,
        context=context(actor, command_id, reason, known_at),
        expected_version=expected_version,
    )
