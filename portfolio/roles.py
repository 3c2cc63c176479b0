"""Who may do what. Roles are Django groups; project managers are named per project."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

PROJECT_MANAGERS = "project_managers"
STEERING_GROUP = "steering_group"
API_READERS = "api_readers"
ADMINISTRATORS = "administrators"
ALL = (PROJECT_MANAGERS, STEERING_GROUP, API_READERS, ADMINISTRATORS)


def ensure_groups() -> None:
    """Create the role groups if they are missing."""
    for name in ALL:
        Group.objects.get_or_create(name=name)


def has_role(user, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    # Cache the user's groups on the instance: permission checks run many times per request.
    names = getattr(user, "_portefolje_groups", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._portefolje_groups = names
    return role in names


def is_admin(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, ADMINISTRATORS)


def can_read(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_create_project(user) -> bool:
    return is_admin(user) or has_role(user, PROJECT_MANAGERS)


def can_manage_project(user, managers: Iterable[str]) -> bool:
    """Whether `user` may change a project whose managers are these usernames."""
    if is_admin(user):
        return True
    return has_role(user, PROJECT_MANAGERS) and user.get_username() in set(managers)


def can_record_decision(user) -> bool:
    return is_admin(user) or has_role(user, STEERING_GROUP)


def can_request_report(user) -> bool:
    return is_admin(user) or has_role(user, STEERING_GROUP) or has_role(user, PROJECT_MANAGERS)


def users_with(role: str):
    """Return the active users who have `role`, by username."""
    User = get_user_model()
    return User.objects.filter(is_active=True, groups__name=role).order_by("username")
