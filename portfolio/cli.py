"""The `portefolje` command an installed copy has: Django's manage.py, settings preset."""

import os
import sys


def main() -> None:
    """Run a management command (`portefolje migrate`, `portefolje backup DIR`, ...)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
