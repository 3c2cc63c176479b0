"""A project manager turns the status reminders off on their own settings page."""

import pytest
from playwright.sync_api import expect

from reports.models import ReminderPreference

from .browser import axe_violations, describe
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_a_manager_turns_reminders_off_and_on(page, transactional_db, manager):
    log_in(page, "dsl")
    page.get_by_role("link", name="Mine indstillinger").click()
    expect(page.get_by_role("heading", name="Mine indstillinger", level=1)).to_be_visible()
    box = page.get_by_label("Send mig en påmindelse pr. e-mail før et styregruppemøde")
    expect(box).to_be_checked()
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    box.uncheck()
    page.get_by_role("button", name="Gem").click()

    expect(page.get_by_role("status")).to_contain_text("Gemt: påmindelser slået fra.")
    expect(box).not_to_be_checked()
    assert ReminderPreference.objects.get(user=manager).send_reminders is False

    box.check()
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("status")).to_contain_text("Gemt: påmindelser slået til.")
    assert ReminderPreference.objects.get(user=manager).send_reminders is True
