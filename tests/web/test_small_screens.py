"""On a 390 px phone the pages keep to the screen's width; tables scroll in their own box."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from . import demo
from .browser import ARTIFACTS, axe_violations, describe, screenshot
from .conftest import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def widths(page) -> dict:
    return page.evaluate(
        """() => ({
            document: document.documentElement.scrollWidth,
            widest: [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 391)
                .filter(e => !(e.parentElement && e.parentElement.closest('.table-box')))
                .slice(0, 5).map(e => e.tagName + '.' + e.className),
        })"""
    )


@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"/projects/{demo.SEED}/",
        f"/projects/{demo.EXAMPLE}/",
        f"/projects/{demo.EXAMPLE}/compare/?from=2026-04-30&to=2026-06-04",
        f"/projects/{demo.EXAMPLE}/edit/",
        "/reports/",
    ],
)
def test_pages_keep_to_a_390_px_screen(page, portfolio, url):
    page.set_viewport_size(PHONE)
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    measured = widths(page)

    screenshot(page, f"phone-{url}")
    assert measured["document"] <= 390, measured
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_the_printed_project_page_is_its_status_page_without_navigation_or_buttons(page, portfolio):
    # given: a manager, who sees edit buttons and forms on the screen
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    page.goto(f"/projects/{demo.SEED}/")
    expect(page.get_by_role("link", name="Ret projektoplysninger")).to_be_visible()

    # when: printed
    page.emulate_media(media="print")

    # then: the title and the status page, nothing to click or navigate
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".status-page")).to_be_visible()
    expect(page.locator(".status-page")).to_contain_text("Dorthe Skou Lassen")
    for hidden in ("header.site-header", "footer", ".breadcrumb", "#history-heading"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("link", name="Tilføj en milepæl")).to_be_hidden()
    visible = page.locator("button, .button, form, nav, input, select").evaluate_all(
        "found => found.filter(e => e.getClientRects().length > 0).map(e => e.outerHTML)"
    )
    assert visible == []
    screenshot(page, "printed-project")
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "printed-project.pdf").write_bytes(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 4
