"""Users and projects for tests, made the way users make them: through commands."""

import itertools
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portfolio import commands, roles

_serial = itertools.count(1)


def user(role: str | None = None, username: str | None = None, **extra):
    roles.ensure_groups()
    user = get_user_model().objects.create_user(
        username=username or f"user{next(_serial)}", password="pw-for-tests", **extra
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def admin():
    return user(roles.ADMINISTRATORS, is_superuser=True, is_staff=True)


def area(actor=None, slug=None, name="Kommuneområdet", known_at: datetime | None = None) -> str:
    actor = actor or admin()
    return commands.area_create(
        slug=slug or f"area-{next(_serial)}", name=name, actor=actor, known_at=known_at
    ).stream_id


def project(manager, *, area_id=None, slug=None, title="Et projekt", known_at=None) -> str:
    """Create a project managed by `manager`; return its id."""
    return commands.project_create(
        slug=slug or f"project-{next(_serial)}",
        title=title,
        area_id=area_id or area(known_at=known_at),
        managers=[manager.get_username()],
        actor=admin(),
        known_at=known_at,
    ).stream_id


def milestone(manager, project_id, *, title="M", planned_on=None, known_at=None) -> str:
    """Plan a milestone of no track in the project; return its id."""
    from milestones.commands import milestone_plan

    return milestone_plan(
        project_id=project_id,
        track_id=None,
        title=title,
        planned_on=planned_on,
        actor=manager,
        known_at=known_at,
    ).stream_id
