"""The site frame in a real browser: logging in, the language switch, keyboard use and axe."""

import pytest
from playwright.sync_api import expect

from .browser import axe_violations, describe, screenshot
from .conftest import PASSWORD, log_in

pytestmark = pytest.mark.browser


def test_login_page_has_no_axe_violations_and_errors_sit_next_to_fields(page):
    # given
    page.goto("/login/")
    screenshot(page, "login")
    assert axe_violations(page) == [], describe(axe_violations(page))

    # when: submitting with nothing typed
    page.get_by_role("button", name="Log ind").click()

    # then: the error is tied to the field, in Danish, and the page is still clean for axe
    username = page.get_by_label("Brugernavn")
    assert username.get_attribute("aria-invalid") == "true"
    error = page.locator("#" + username.get_attribute("aria-describedby"))
    assert error.inner_text() == "Dette felt er påkrævet."
    screenshot(page, "login-errors")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_keyboard_user_reaches_the_skip_link_first_and_it_moves_focus_to_main(page):
    page.goto("/login/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Gå til hovedindhold")
    # The focus ring must be visible: a real box-shadow, not "none".
    assert page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_id("main")


def test_manager_logs_in_switches_to_english_and_logs_out(page, manager):
    # given / when
    log_in(page, "dsl")

    # then
    assert page.url.endswith("/")
    assert page.get_by_text("Logget ind som Dorthe Skou Lassen").is_visible()

    # when: switching language keeps the person on the same page
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Portfolio"
    screenshot(page, "home-en")

    # when: logging out
    page.get_by_role("button", name="Log out").click()

    # then: back at the login page, in English still
    assert "/login/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    page.get_by_label("Username").fill("dsl")
    page.get_by_label("Password").fill(PASSWORD + "x")
    page.get_by_role("button", name="Log in").click()
    assert "Please enter a correct username and password" in page.get_by_role("alert").inner_text()
