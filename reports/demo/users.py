"""Demo users, one per role, with passwords printed by load_demo (never use these in production)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portfolio import roles

# username, password, role group, superuser?
DEMO_USERS = (
    ("admin", "demo-admin-2026", roles.ADMINISTRATORS, True),
    ("projektleder", "demo-projektleder-2026", roles.PROJECT_MANAGERS, False),
    ("styregruppe", "demo-styregruppe-2026", roles.STEERING_GROUP, False),
    ("api-laeser", "demo-api-2026", roles.API_READERS, False),
)


def ensure_demo_users() -> dict:
    """Create the demo users if missing (passwords are set only when a user is created)."""
    roles.ensure_groups()
    users = {}
    User = get_user_model()
    for username, password, role, superuser in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.is_staff = user.is_superuser = superuser
            # An address, so the reminders before meetings show on `make run`'s console.
            user.email = f"{username}@example.org"
            user.save()
        user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users
