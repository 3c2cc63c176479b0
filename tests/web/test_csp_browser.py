"""The main pages work under the site's Content-Security-Policy: Chromium reports no violation."""

import pytest
from playwright.sync_api import expect

from . import demo
from .conftest import log_in, new_page

pytestmark = pytest.mark.browser


@pytest.fixture
def strict_page(browser, live_server):
    page = new_page(browser, live_server, bypass_csp=False)
    page.violations = []
    page.on(
        "console",
        lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    yield page
    page.context.close()


def test_the_main_pages_cause_no_csp_violations(strict_page, portfolio):
    page = strict_page
    # given: the login page, then a manager's overview, project, history and edit pages
    page.goto("/login/")
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    expect(page.get_by_role("heading", name="Kommuneområdet")).to_be_visible()
    project = f"/projects/{demo.SEED}/"
    for url in (project, f"{project}compare/", f"{project}edit/", "/reports/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    # a report being made: its progress script is a file of ours
    page.goto(project)
    page.get_by_role("button", name="Lav statussiden som PDF").click()
    expect(page.get_by_role("status")).to_contain_text("færdig", timeout=30_000)
    # the API's documentation pages draw the schema
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    page.goto("/api/redoc/")
    expect(page.locator("#redoc-container, redoc").first).to_contain_text("Portefølje API")

    # then
    assert page.violations == []


def test_the_admin_works_under_the_policy(strict_page, portfolio):
    page = strict_page
    page.goto("/admin/login/")
    page.get_by_label("Brugernavn").fill("admin")
    page.get_by_label("Adgangskode").fill(demo.PASSWORDS["admin"])
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/admin/auth/user/")
    page.wait_for_load_state("networkidle")

    assert page.violations == []
