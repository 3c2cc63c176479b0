"""Fixtures for the web tests: users with roles, and a real browser against the live server."""

import os

import pytest
from django.contrib.auth.models import Group, User

from portfolio import roles

from . import demo
from .browser import CHROMIUM, CHROMIUM_ARGS, missing

# Playwright's sync API runs an event loop in the test's thread; Django then refuses ORM calls
# from that thread, although they are plain synchronous calls here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "korrekt-hest-batteri-9"


def make_user(username: str, *groups: str, full_name: str = "") -> User:
    first, _, last = full_name.partition(" ")
    user = User.objects.create_user(username, password=PASSWORD, first_name=first, last_name=last)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


@pytest.fixture
def manager(db):
    return make_user("dsl", roles.PROJECT_MANAGERS, full_name="Dorthe Skou Lassen")


@pytest.fixture
def steering(db):
    return make_user("styre", roles.STEERING_GROUP, full_name="Stine Styregruppe")


@pytest.fixture
def portfolio(transactional_db, settings, tmp_path):
    """The demo portfolio, for the browser tests; issued reports go to tmp_path, not the tree."""
    settings.MEDIA_ROOT = tmp_path
    demo.load()


@pytest.fixture(scope="session")
def browser():
    missing(CHROMIUM, "Debian package chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(browser, live_server, locale: str = "da-DK", *, bypass_csp: bool = True):
    # A Danish browser by default, as MedCom's users have; the language switch is tested apart.
    # The tests inject axe-core as an inline script, which the site's CSP refuses: they bypass
    # it; test_csp_browser.py keeps it and looks for violations.
    context = browser.new_context(base_url=live_server.url, locale=locale, bypass_csp=bypass_csp)
    context.set_default_timeout(10_000)
    return context.new_page()


@pytest.fixture
def page(browser, live_server):
    page = new_page(browser, live_server)
    yield page
    page.context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
