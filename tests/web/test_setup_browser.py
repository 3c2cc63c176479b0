"""An administrator sets up the portfolio in Chromium; a project manager is refused."""

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portfolio.eventstore.models import StoredEvent
from portfolio.models import Area, Project

from . import demo
from .browser import assert_accessible
from .conftest import log_in

pytestmark = pytest.mark.browser


def test_an_administrator_creates_and_renames_an_area(page, portfolio):
    log_in(page, "admin", demo.PASSWORDS["admin"])
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Opsætning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Opsætning")
    assert_accessible(page, "setup-index")

    # an empty name is refused next to the field
    page.get_by_role("link", name="Nyt område").click()
    assert_accessible(page, "setup-area-new")
    page.get_by_role("button", name="Opret området").click()
    expect(page.locator("#id_name-error")).to_have_text("Dette felt er påkrævet.")
    assert_accessible(page, "setup-area-new-refused")

    page.get_by_label(re.compile("^Navn")).fill("Sundhed på tværs")
    page.get_by_role("button", name="Opret området").click()
    expect(page.get_by_role("status")).to_have_text("Området er oprettet: Sundhed på tværs.")
    row = page.get_by_role("row", name=re.compile("Sundhed på tværs"))
    expect(row).to_contain_text("sundhed-paa-tvaers")  # the slug made from the name

    page.get_by_role("link", name="Omdøb Sundhed på tværs").click()
    assert_accessible(page, "setup-area-rename")
    page.get_by_label(re.compile("^Navn")).fill("Sundhed og omsorg")
    page.get_by_role("button", name="Omdøb").click()
    expect(page.get_by_role("status")).to_have_text(
        "Området er omdøbt: Sundhed på tværs hedder nu Sundhed og omsorg."
    )
    area = Area.objects.get(slug="sundhed-paa-tvaers")
    assert (area.name, area.version) == ("Sundhed og omsorg", 2)


def test_an_administrator_creates_a_project_assigns_managers_closes_and_reopens_it(page, portfolio):
    log_in(page, "admin", demo.PASSWORDS["admin"])
    page.goto("/setup/")
    page.get_by_role("link", name="Nyt projekt").click()
    assert_accessible(page, "setup-project-new")

    # when: the title is given, the slug left out, an area and a manager chosen
    page.get_by_label(re.compile("^Titel")).fill("Fælles Økonomi")
    area = Area.objects.order_by("name").first()
    page.get_by_label(re.compile("^Område")).select_option(label=area.name)
    page.get_by_role("group", name="Projektledere").get_by_label(demo.MANAGER).check()
    page.get_by_role("button", name="Opret projektet").click()

    # then: the project's page, at the address made from its title, managed by the manager
    expect(page).to_have_url(re.compile(r"/projects/faelles-oekonomi/$"))
    expect(page.get_by_role("status")).to_have_text("Projektet er oprettet: Fælles Økonomi.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fælles Økonomi")
    assert Project.objects.get(slug="faelles-oekonomi").managers == [demo.MANAGER]

    # the breadcrumb leads to the overview of the project's area
    breadcrumb = page.locator(".breadcrumb")
    expect(breadcrumb.get_by_role("link", name=area.name)).to_have_attribute(
        "href", f"/?area={area.slug}"
    )

    # when: the manager is removed
    page.get_by_role("link", name="Projektledere").click()
    assert_accessible(page, "setup-managers")
    page.get_by_label(demo.MANAGER).uncheck()
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_role("status")).to_contain_text("Ændret: Projektledere")
    assert Project.objects.get(slug="faelles-oekonomi").managers == []

    # when: it is closed, without and then with a reason
    page.get_by_role("link", name="Luk projektet").click()
    assert_accessible(page, "setup-close")
    page.get_by_role("button", name="Luk projektet").click()
    expect(page.locator("#id_reason-error")).to_have_text("Dette felt er påkrævet.")
    page.get_by_label("Hvorfor").fill("Afløst af et andet projekt")
    page.get_by_role("button", name="Luk projektet").click()
    expect(page.get_by_role("status")).to_have_text("Projektet er lukket.")
    expect(page.get_by_text("Projektet er afsluttet og kan ikke ændres mere.")).to_be_visible()
    assert Project.objects.get(slug="faelles-oekonomi").closed

    # and reopened
    page.get_by_role("link", name="Genåbn projektet").click()
    assert_accessible(page, "setup-reopen")
    page.get_by_label("Hvorfor").fill("Genstartet")
    page.get_by_role("button", name="Genåbn projektet").click()
    expect(page.get_by_role("status")).to_have_text("Projektet er åbent igen.")
    expect(page.get_by_role("link", name="Ret projektoplysninger")).to_be_visible()
    assert not Project.objects.get(slug="faelles-oekonomi").closed
    history = page.locator("#history-heading + *")
    expect(history).to_contain_text("Genåbnet: Fælles Økonomi (Genstartet)")


def test_an_administrator_has_a_slug_proposed_edits_it_and_a_taken_one_is_refused(page, portfolio):
    log_in(page, "admin", demo.PASSWORDS["admin"])
    page.goto("/setup/projects/new/")
    page.get_by_label(re.compile("^Titel")).fill("Ny økonomi")
    page.get_by_label(re.compile("^Område")).select_option(index=1)
    # the server proposes the slug, and the form keeps what was typed
    page.get_by_role("button", name="Foreslå kort navn").click()
    expect(page.get_by_label("Kort navn i adresser")).to_have_value("ny-oekonomi")
    expect(page.get_by_label(re.compile("^Område"))).not_to_have_value("")
    expect(page.locator(".field__error")).to_have_count(0)
    assert not Project.objects.filter(slug="ny-oekonomi").exists()
    # a slug taken is refused by name; the input stays
    page.get_by_label("Kort navn i adresser").fill(demo.SEED)
    page.get_by_role("button", name="Opret projektet").click()
    expect(page.locator("#id_slug-error")).to_have_text("Det korte navn er optaget.")
    expect(page.get_by_label(re.compile("^Titel"))).to_have_value("Ny økonomi")
    assert_accessible(page, "setup-project-slug-taken")

    page.get_by_label("Kort navn i adresser").fill("nyt-2027")
    page.get_by_role("button", name="Opret projektet").click()
    expect(page).to_have_url(re.compile(r"/projects/nyt-2027/$"))


def test_a_project_manager_neither_sees_nor_reaches_the_set_up_pages(page, portfolio):
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    expect(page.get_by_role("link", name="Opsætning")).to_have_count(0)
    before = StoredEvent.objects.count()
    area = Area.objects.first().slug
    for url in (
        "/setup/",
        "/setup/areas/new/",
        f"/setup/areas/{area}/rename/",
        "/setup/projects/new/",
        f"/projects/{demo.SEED}/managers/",
    ):
        response = page.goto(url)
        assert response.status == 403, url
        expect(page.get_by_role("heading", level=1)).to_have_text("Ikke tilladt")
    assert_accessible(page, "setup-refused")
    # the project page offers the manager no set-up of managers
    page.goto(f"/projects/{demo.SEED}/")
    expect(page.get_by_role("link", name="Projektledere")).to_have_count(0)
    assert StoredEvent.objects.count() == before


def test_the_project_page_downloads_its_latest_status_page_and_the_archive_names_it(
    page, portfolio
):
    # given: a project without an issued status page offers no download
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    page.goto(f"/projects/{demo.SEED}/")
    latest = page.get_by_role("link", name="Hent seneste statusside (PDF)")
    expect(latest).to_have_count(0)
    title = Project.objects.get(slug=demo.SEED).title

    # when: the manager has one made, then opens the project again
    page.get_by_role("button", name="Lav statussiden som PDF").click()
    expect(page.get_by_role("status")).to_contain_text("færdig", timeout=30_000)
    page.goto(f"/projects/{demo.SEED}/")
    assert_accessible(page, "project-latest-pdf")

    # then: the link downloads that PDF, which is the project's status page
    with page.expect_download() as info:
        latest.click()
    reader = PdfReader(info.value.path())
    first = reader.pages[0].extract_text()
    assert "Lettilgængelige tilbud til børn og unge" in first

    # and the archive lists it by the project's title, not its slug
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Rapporter").click()
    archive = page.get_by_role("table")
    expect(archive).to_contain_text(f"Statusside: {title} (da)")
    expect(archive).not_to_contain_text(f"Statusside: {demo.SEED}")
