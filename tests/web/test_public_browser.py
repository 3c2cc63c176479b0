"""The public status pages in a browser, as a visitor without a login meets them."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from reports import services
from reports.demo.seed import AREA_SLUG, PROJECT_LEADER, TITLE

from . import demo
from .browser import axe_violations, describe

pytestmark = pytest.mark.browser


@pytest.fixture
def published(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.load()
    manager = get_user_model().objects.get(username=demo.MANAGER)
    services.request_publication(manager, demo.SEED)  # tasks run in-process in the tests


def test_a_visitor_finds_the_published_page_reads_it_in_english_and_gets_its_pdf(published, page):
    # the index, without logging in
    page.goto("/status/")
    assert not axe_violations(page), describe(axe_violations(page))
    expect(page.get_by_role("heading", level=1)).to_have_text("Projektstatus")

    # the project's published page, laid out as the status page
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(f"/status/{AREA_SLUG}/{demo.SEED}/$"))
    expect(page.get_by_text(PROJECT_LEADER)).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)

    # in English at a click
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Purpose")).to_be_visible()
    assert not axe_violations(page), describe(axe_violations(page))

    # and its PDF as issued
    href = page.get_by_role("link", name="The status page as PDF").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
