"""What the reports' tests share: archived files in a folder of their own, the demo loaded."""

import pytest
from django.core.management import call_command

from tests.smtp_server import smtp_inbox  # noqa: F401 - a fixture for the reminders' tests


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
