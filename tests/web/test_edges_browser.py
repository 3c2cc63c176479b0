"""The pages at their edges, in Chromium: refusals in the product's look, accessible."""

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import expect

from . import demo
from .browser import assert_accessible
from .conftest import log_in, new_page

pytestmark = pytest.mark.browser


def test_a_date_out_of_range_answers_a_page_saying_so(page, portfolio):
    log_in(page, demo.READER, demo.PASSWORDS[demo.READER])
    response = page.goto(f"/projects/{demo.SEED}/?as_of=9999-12-31")
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Ugyldig forespørgsel")
    expect(page.get_by_text("Datoen skal ligge fra 01.01.1990 til 31.12.2100.")).to_be_visible()
    assert_accessible(page, "bad-date")
    page.get_by_role("link", name="Vis siden, som den er nu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lettilgængelige tilbud")


def test_a_form_the_site_cannot_trust_answers_the_products_page(page, portfolio):
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    page.goto(f"/projects/{demo.SEED}/edit/")
    page.locator("form.edit-form input[name=csrfmiddlewaretoken]").evaluate(
        "input => { input.value = 'x'.repeat(64); }"
    )
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Formularen kunne ikke sendes")
    expect(page.get_by_role("heading", level=2)).to_have_text("The form could not be sent")
    assert_accessible(page, "csrf-failure")


def test_the_error_page_is_accessible(browser, live_server, portfolio):
    page = new_page(browser, live_server)
    try:
        page.goto("/login/")
        page.set_content(render_to_string("500.html"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Der skete en fejl")
        assert_accessible(page, "server-error")
    finally:
        page.context.close()


def test_an_english_browser_gets_danish_until_the_person_switches(browser, live_server, portfolio):
    page = new_page(browser, live_server, locale="en-US")
    try:
        page.goto("/login/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Log ind")
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
        page.goto("/login/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    finally:
        page.context.close()
