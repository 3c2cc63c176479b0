"""Commands on areas, projects, tracks, status, decisions and KPI series: the only writers."""

from datetime import date, datetime

from django.db import IntegrityError, transaction

from . import domain, roles, slugs
from .commanding import (
    check_manager,
    context,
    idempotent,
    new_id,
    on_member,
    project_for_write,
    today,
)
from .errors import InvalidInput, NotAllowed, Taken
from .eventstore import repository
from .eventstore.models import StoredEvent
from .eventstore.store import AppendResult
from .models import Area as AreaRow
from .models import Project as ProjectRow

# The streams a decision may name: stream types of the milestones and risks apps.
DECISION_SUBJECTS = ("Milestone", "Risk")


def _create_with_slug(rows, noun: str, slug: str, create) -> AppendResult:
    """Run `create(slug)` unless `rows` (a read model with a unique slug) has `slug` already.

    Two requests may both find the slug free; the second to write then breaks the read model's
    unique key and is refused the same way, not with a server error.
    """
    taken = Taken("slug", f"{noun} with the slug {slug} exists already")
    if rows.objects.filter(slug=slug).exists():
        raise taken
    try:
        with transaction.atomic():
            return create(slug)
    except IntegrityError:
        raise taken from None


@idempotent
def area_create(
    *,
    slug: str | None = None,
    name: str,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    """Create an area; with no slug, one is made from the name (portfolio.slugs)."""
    if not roles.is_admin(actor):
        raise NotAllowed("area", "only administrators create areas")
    return _create_with_slug(
        AreaRow,
        "an area",
        slug or slugs.propose_slug(AreaRow, name),
        lambda slug: repository.execute(
            domain.Area,
            new_id(),
            lambda area: area.create(slug=slug, name=name),
            context=context(actor, command_id, known_at=known_at),
            expected_version=0,
        ),
    )


@idempotent
def area_rename(
    *,
    area_id: str,
    name: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    if not roles.is_admin(actor):
        raise NotAllowed("area", "only administrators rename areas")
    return repository.execute(
        domain.Area,
        area_id,
        lambda area: area.rename(name=name),
        context=context(actor, command_id, known_at=known_at),
        expected_version=expected_version,
    )


@idempotent
def project_create(
    *,
    slug: str | None = None,
    title: str,
    area_id: str,
    managers=(),
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    """Create a project; with no slug, one is made from the title (portfolio.slugs)."""
    if not roles.can_create_project(actor):
        raise NotAllowed("project", "only project managers and administrators create projects")
    if not AreaRow.objects.filter(id=area_id).exists():
        raise InvalidInput("area", "no such area")
    if not roles.is_admin(actor):
        managers = tuple(dict.fromkeys([actor.get_username(), *managers]))
    return _create_with_slug(
        ProjectRow,
        "a project",
        slug or slugs.propose_slug(ProjectRow, title),
        lambda slug: repository.execute(
            domain.Project,
            new_id(),
            lambda p: p.create(slug=slug, title=title, area_id=area_id, managers=managers),
            context=context(actor, command_id, known_at=known_at),
            expected_version=0,
        ),
    )


def _on_project(project_id, decide, *, actor, expected_version, command_id, reason="", known_at):
    """Run `decide(project)` on a project the actor manages, appending what it triggers."""

    def checked(project):
        check_manager(actor, project)
        decide(project)

    return repository.execute(
        domain.Project,
        project_id,
        checked,
        context=context(actor, command_id, reason, known_at),
        expected_version=expected_version,
    )


@idempotent
def project_update(
    *,
    project_id: str,
    changes: dict,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    """Change project fields (see domain.DETAIL_FIELDS); each changed field is one event."""
    return _on_project(
        project_id,
        lambda p: p.update(**changes),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def track_add(
    *,
    project_id: str,
    name: str,
    title: str = "",
    monitoring_note: str = "",
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
    track_id: str | None = None,
) -> AppendResult:
    """Add a track; a monitoring note given with it is written by the same command."""
    track_id = track_id or new_id()

    def add(project: domain.Project) -> None:
        project.add_track(track_id=track_id, name=name, title=title)
        if monitoring_note:
            project.change_track(track_id=track_id, monitoring_note=monitoring_note)

    return _on_project(
        project_id,
        add,
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def track_change(
    *,
    project_id: str,
    track_id: str,
    changes: dict,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return _on_project(
        project_id,
        lambda p: p.change_track(track_id=track_id, **changes),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def status_report(
    *,
    project_id: str,
    track_id: str | None,
    rating: str | None,
    narrative: str,
    reported_on: date | None = None,
    justification: str = "",
    expected_version: int | None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    on = today(known_at)
    return _on_project(
        project_id,
        lambda p: p.report_status(
            track_id=track_id,
            rating=rating,
            narrative=narrative,
            reported_on=reported_on or on,
            today=on,
            justification=justification,
        ),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def project_close(
    *,
    project_id: str,
    reason: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
) -> AppendResult:
    return _on_project(
        project_id,
        lambda p: p.close(reason=reason),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        reason=reason,
        known_at=None,
    )


@idempotent
def project_reopen(
    *,
    project_id: str,
    reason: str,
    expected_version: int | None,
    actor,
    command_id: str | None = None,
) -> AppendResult:
    """Open a closed project again; only administrators may, as its managers can no longer
    change it."""
    if not roles.is_admin(actor):
        raise NotAllowed("project", "only administrators reopen projects")
    return repository.execute(
        domain.Project,
        project_id,
        lambda p: p.reopen(reason=reason),
        context=context(actor, command_id, reason),
        expected_version=expected_version,
    )


@idempotent
def decision_record(
    *,
    project_id: str,
    meeting_on: date,
    text: str,
    affects=(),
    expected_version: int | None = None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    """Record a steering-group decision; it may name milestones and risks of the project."""
    if not roles.can_record_decision(actor):
        raise NotAllowed("decision", "only steering-group members record decisions")
    affects = tuple(affects)
    # Asked of the log, whose first event of each stream names the project, so the kernel
    # needs neither app's tables.
    known = set(
        StoredEvent.objects.filter(
            stream_id__in=affects,
            version=1,
            stream_type__in=DECISION_SUBJECTS,
            data__project_id=project_id,
        ).values_list("stream_id", flat=True)
    )
    missing = [a for a in affects if a not in known]
    if missing:
        raise InvalidInput("affects", f"not a milestone or risk of the project: {missing[0]}")
    decision_id = new_id()
    return repository.execute(
        domain.Project,
        project_id,
        lambda p: p.record_decision(
            decision_id=decision_id,
            meeting_on=meeting_on,
            text=text,
            affects=affects,
            today=today(known_at),
        ),
        context=context(actor, command_id, known_at=known_at),
        expected_version=expected_version,
    )


@idempotent
def kpi_define(
    *,
    project_id: str,
    track_id: str | None,
    name: str,
    description: str = "",
    unit: str = "",
    denominator: int | None = None,
    denominator_label: str = "",
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    project = project_for_write(actor, project_id)
    return repository.execute(
        domain.Kpi,
        new_id(),
        lambda kpi: kpi.define(
            project=project,
            track_id=track_id,
            name=name,
            description=description,
            unit=unit,
            denominator=denominator,
            denominator_label=denominator_label,
        ),
        context=context(actor, command_id, known_at=known_at),
        expected_version=0,
    )


@idempotent
def kpi_measure(
    *,
    kpi_id: str,
    measured_on: date,
    value,
    source: str = "",
    expected_version: int | None = None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        domain.Kpi,
        kpi_id,
        "kpi",
        lambda k, p: k.measure(
            project=p,
            measured_on=measured_on,
            value=value,
            source=source,
            today=today(known_at),
        ),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )


@idempotent
def kpi_write_remark(
    *,
    kpi_id: str,
    remark: str,
    expected_version: int | None = None,
    actor,
    command_id: str | None = None,
    known_at: datetime | None = None,
) -> AppendResult:
    return on_member(
        domain.Kpi,
        kpi_id,
        "kpi",
        lambda k, p: k.write_remark(project=p, remark=remark),
        actor=actor,
        expected_version=expected_version,
        command_id=command_id,
        known_at=known_at,
    )
