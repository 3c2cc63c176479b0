"""A steering-group member sorts the overview by its columns and sees the outdated statuses."""

import pytest
from playwright.sync_api import expect

from .browser import axe_violations, describe, screenshot
from .conftest import log_in
from .overview_data import steering_portfolio

pytestmark = pytest.mark.browser


@pytest.fixture
def portfolio(pinned_today, transactional_db, manager, steering):
    return steering_portfolio(manager, pinned_today)


def project_order(page) -> list[str]:
    return page.locator("table.overview tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.project)"
    )


def test_a_steering_member_sorts_the_overview_and_sees_outdated_statuses(page, portfolio):
    log_in(page, "styre")
    expect(page.get_by_role("heading", name="Portefølje", level=1)).to_be_visible()
    table = page.locator("table.overview")
    for heading in ("Projektleder", "Største risiko", "Afledt lys", "Seneste status"):
        expect(table.get_by_role("columnheader", name=heading)).to_be_visible()

    # the project reported before the last steering meeting is flagged, the others not
    alfa = table.locator("tr[data-project=alfa]")
    expect(alfa.get_by_text("status forældet")).to_be_visible()
    expect(table.get_by_text("status forældet")).to_have_count(1)
    expect(alfa.locator("td.leader")).to_have_text("Bo Berg")
    expect(alfa.locator("td.biggest-risk")).to_contain_text("Alfa risiko")
    # the derived light stands beside the reported one: Alfa says green, the plan says red
    expect(alfa.locator("td.derived-light")).to_have_attribute("data-derived", "red")
    expect(page.get_by_text("1 med forældet status")).to_be_visible()

    # sorting: a click sorts ascending, a second click descending, and says so to screen readers
    derived = table.get_by_role("columnheader", name="Afledt lys")
    derived.get_by_role("link").click()
    expect(table.get_by_role("columnheader", name="Afledt lys")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert project_order(page) == ["beta", "gamma", "alfa"]
    table.get_by_role("columnheader", name="Afledt lys").get_by_role("link").click()
    expect(table.get_by_role("columnheader", name="Afledt lys")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert project_order(page) == ["alfa", "gamma", "beta"]

    table.get_by_role("columnheader", name="Projektleder").get_by_role("link").click()
    expect(table.get_by_role("columnheader", name="Projektleder")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert project_order(page) == ["beta", "alfa", "gamma"]

    screenshot(page, "overview-sorted-by-leader")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_sorting_keeps_the_filters(page, portfolio):
    log_in(page, "styre")
    page.get_by_label("Søg på titel").fill("a")
    page.get_by_role("button", name="Vis").click()
    page.locator("table.overview").get_by_role("columnheader", name="Største risiko").get_by_role(
        "link"
    ).click()
    expect(page.get_by_label("Søg på titel")).to_have_value("a")
    assert "q=a" in page.url and "sort=risk" in page.url
