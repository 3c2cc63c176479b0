"""A project manager reads a long project history in Chromium: pages through it and filters it."""

import re

import pytest
from playwright.sync_api import expect

from portfolio.web.history_page import PER_PAGE

from . import demo
from .browser import assert_accessible
from .conftest import log_in
from .test_history import report_statuses

pytestmark = pytest.mark.browser


@pytest.fixture
def long_history(transactional_db):
    demo.load()
    return report_statuses(PER_PAGE + 5)


def test_manager_pages_through_the_history_and_filters_it_by_kind(page, long_history):
    # given: the project page lists only the latest changes
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    page.goto(f"/projects/{demo.EXAMPLE}/")
    latest = page.get_by_role("region", name="Seneste ændringer").locator(".timeline li")
    expect(latest).to_have_count(10)

    # when: following the link to the whole history
    page.get_by_role("link", name="Hele historikken, med filtre").click()

    # then: the newest changes first, a page of them, and a way to the older ones
    expect(page.get_by_role("heading", level=1)).to_have_text("Historik")
    expect(page.locator(".timeline li")).to_have_count(PER_PAGE)
    expect(page.get_by_role("status")).to_have_text(f"Ændring 1–{PER_PAGE}, nyeste først.")
    assert_accessible(page, "history")

    # when: keeping only status reports, then going to the older ones
    page.get_by_label("Slags ændring").select_option(label="Status rapporteret")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(re.compile(r"kind=reported"))
    items = page.locator(".timeline li")
    expect(items).to_have_count(PER_PAGE)
    for text in items.all_inner_texts():
        assert "Status rapporteret" in text
    first_on_page_one = items.first.inner_text()
    page.get_by_role("navigation", name="Historikkens sider").get_by_role(
        "link", name="Ældre"
    ).click()

    # then: the second page, still filtered, starting after the first
    expect(page).to_have_url(re.compile(r"kind=reported&page=2"))
    expect(page.get_by_role("status")).to_contain_text(f"Ændring {PER_PAGE + 1}–")
    expect(page.get_by_label("Slags ændring")).to_have_value("reported")
    assert items.first.inner_text() != first_on_page_one
    for text in items.all_inner_texts():
        assert "Status rapporteret" in text
    expect(page.get_by_role("link", name="Side 2", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page, "history-page-2")

    # and when: clearing the filter, every kind is back
    page.get_by_role("link", name="Nulstil filtre").click()
    expect(page.get_by_label("Slags ændring")).to_have_value("")
    expect(page.get_by_role("status")).to_have_text(f"Ændring 1–{PER_PAGE}, nyeste først.")
