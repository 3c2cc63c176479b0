"""What a steering-group member reads on the project page, in Chromium: the milestone trend
analysis and the risk register by score, both accessible."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from portfolio.models import Project
from reports.build import build_portfolio
from reports.html import render_portfolio_html
from risks import commands as risks

from . import demo
from .browser import assert_accessible
from .conftest import log_in, new_page

pytestmark = pytest.mark.browser


def test_the_trend_draws_each_plan_as_the_log_recorded_it(page, portfolio):
    log_in(page, demo.READER, demo.PASSWORDS[demo.READER])
    page.goto(f"/projects/{demo.EXAMPLE}/")
    expect(page.get_by_role("heading", name="Milepælstrendanalyse")).to_be_visible()
    chart = page.get_by_role("img", name="Milepælstrendanalyse")
    expect(chart).to_be_visible()
    expect(chart.locator("g.trend-line")).to_have_count(3)
    # The pilot's line: planned, re-planned on 1 May (a step up), achieved on the diagonal.
    pilot = chart.locator('g.trend-line[data-milestone="2"] polyline')
    points = [tuple(map(float, p.split(","))) for p in pilot.get_attribute("points").split()]
    assert len(points) == 5
    heights = [y for _, y in points[:4]]
    assert heights[2] < heights[1]  # SVG y grows downwards: the plan moved later
    rows = page.locator("table.trend-table tbody tr")
    expect(rows.filter(has_text="Pilotdrift i tre kommuner")).to_contain_text(
        "02.09.2025 → 15.04.2026"
    )
    expect(rows.filter(has_text="Pilotdrift i tre kommuner")).to_contain_text(
        "01.05.2026 → 01.06.2026"
    )
    assert_accessible(page, "trend")


def test_the_register_leads_with_the_highest_score_in_its_colour(page, portfolio):
    manager = User.objects.get(username=demo.MANAGER)
    project = Project.objects.get(slug=demo.EXAMPLE)
    for title, probability, impact, mitigation in (
        ("Lille risiko", 1, 3, ""),
        ("Stor risiko", 4, 4, "Ekstra **test** hver uge."),
        ("Ikke vurderet", None, None, ""),
    ):
        risks.risk_raise(
            project_id=project.id,
            track_id=None,
            title=title,
            description=f"Beskrivelse af {title.lower()}.",
            probability=probability,
            impact=impact,
            mitigation=mitigation,
            actor=manager,
        )
    log_in(page, demo.READER, demo.PASSWORDS[demo.READER])
    page.goto(f"/projects/{demo.EXAMPLE}/")
    register = page.locator("section", has=page.get_by_role("heading", name="Risikoregister"))
    titles = register.locator("tbody tr th[scope=row]")
    expect(titles).to_have_count(4)
    order = [t.split("\n")[0].strip() for t in titles.all_inner_texts()]
    # Open ones by score, unassessed last of them; the demo's closed risk after them.
    assert order == [
        "Stor risiko",
        "Lille risiko",
        "Ikke vurderet",
        "Leverandøren når ikke testmiljøet",
    ]
    big = register.locator('tr[data-risk="Stor risiko"]')
    expect(big).to_contain_text("Beskrivelse af stor risiko.")
    expect(big.locator("[data-fact=mitigation] strong")).to_have_text("test")
    score = big.locator(".risk-score")
    expect(score).to_have_text("4 × 4 = 16")
    expect(big.locator("[data-fact=score]")).to_contain_text("høj")
    expect(score).to_have_css("background-color", "rgb(198, 40, 40)")
    small = register.locator('tr[data-risk="Lille risiko"] .risk-score')
    expect(small).to_have_css("background-color", "rgb(46, 125, 50)")
    assert_accessible(page, "risk-register")


def test_a_manager_marks_the_biggest_risk_by_name_without_javascript(
    browser, live_server, portfolio
):
    # given two open risks
    manager = User.objects.get(username=demo.MANAGER)
    project = Project.objects.get(slug=demo.EXAMPLE)
    for title in ("Lille risiko", "Stor risiko"):
        risks.risk_raise(
            project_id=project.id,
            track_id=None,
            title=title,
            description=f"Beskrivelse af {title.lower()}.",
            probability=2,
            impact=2,
            mitigation="",
            actor=manager,
        )
    # a browser without JavaScript: the buttons share one form in the page
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
        page.goto(f"/projects/{demo.EXAMPLE}/")
        register = page.locator("section", has=page.get_by_role("heading", name="Risikoregister"))
        # each action is named with the risk it acts on; the closed risk has no button
        expect(register.get_by_role("button", name="Markér som største risiko")).to_have_count(2)
        expect(register.get_by_role("link", name="Ret Lille risiko", exact=True)).to_be_visible()

        # when
        register.get_by_role("button", name="Markér som største risiko Stor risiko").click()

        # then
        expect(page.get_by_role("status")).to_contain_text(
            "Markeret som største risiko: Stor risiko."
        )
        biggest = page.locator("h2", has_text="Største risiko i projektet").locator(
            "xpath=following-sibling::*[1]"
        )
        expect(biggest).to_have_text("Beskrivelse af stor risiko.")
    finally:
        context.close()


def test_the_portfolio_reports_html_twin_is_accessible(browser, live_server, portfolio):
    html = render_portfolio_html(build_portfolio(), area=None)
    page = new_page(browser, live_server)
    try:
        page.goto("/login/")
        page.set_content(html)
        overview = page.get_by_role("table").first
        expect(overview.get_by_role("rowheader", name="Kommuneområdet")).to_be_visible()
        expect(page.locator("footer")).to_contain_text("kontrolkode")
        expect(page.locator("ul.cover")).to_contain_text("Projekter efter afledt lys")
        assert_accessible(page, "portfolio-twin")
    finally:
        page.context.close()
