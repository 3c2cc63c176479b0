"""The demo portfolio (seed project and example project) and its users, for the web tests."""

import io

from django.core.management import call_command

from reports.demo.example import SLUG as EXAMPLE
from reports.demo.seed import PROJECT_SLUG as SEED
from reports.demo.users import DEMO_USERS

PASSWORDS = {username: password for username, password, _, _ in DEMO_USERS}
MANAGER, STEERING, READER = "projektleder", "styregruppe", "api-laeser"

__all__ = ["EXAMPLE", "MANAGER", "PASSWORDS", "READER", "SEED", "STEERING", "load"]


def load() -> None:
    call_command("load_demo", stdout=io.StringIO())
