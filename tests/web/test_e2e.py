"""End to end in Debian's Chromium: the journeys of issue 6, each as a person would make them."""
# ruff: noqa: PTH123 - the downloaded file is read once, plainly

import pytest
from playwright.sync_api import expect

from . import demo
from .browser import assert_accessible, screenshot
from .conftest import log_in, new_page

pytestmark = pytest.mark.browser

LTT_MILESTONE = "LTT -ansvarlig enheden i hver kommune skal anvende KM"


def open_seed(page):
    page.goto("/")
    page.get_by_role("link", name="På tværs – Børn & Unge + Lettilgængelige tilbud").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lettilgængelige tilbud")


def test_manager_replans_a_milestone_with_a_reason_and_sees_it_in_the_history(page, portfolio):
    # given
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    expect(page.get_by_role("heading", name="Kommuneområdet")).to_be_visible()
    assert_accessible(page, "overview")
    open_seed(page)
    assert_accessible(page, "project")

    # when: re-planning the LTT milestone with a reason
    page.get_by_role("link", name=f"Flyt {LTT_MILESTONE}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Flyt milepælen")
    page.get_by_label("Ny planlagt dato").fill("2027-03-01")
    assert_accessible(page, "replan-form")
    page.get_by_role("button", name="Flyt").click()
    expect(page.get_by_text("Dette felt er påkrævet.")).to_be_visible()  # the reason is required
    expect(page.get_by_label("Ny planlagt dato")).to_have_value("2027-03-01")
    page.get_by_label("Begrundelse").fill("Leverandørerne skal først have kontrakt.")
    page.get_by_role("button", name="Flyt").click()

    # then: the new date and the old one, and the change in the history
    row = page.locator("tr[data-milestone]", has_text=LTT_MILESTONE)
    expect(row.locator("[data-fact=plan]")).to_contain_text("01.03.2027")
    expect(row.locator("[data-fact=plan]")).to_contain_text("oprindeligt 01.12.2026")
    history = page.locator(".timeline li").first
    expect(history).to_contain_text(demo.MANAGER)
    expect(history).to_contain_text(
        "01.12.2026 → 01.03.2027: Leverandørerne skal først have kontrakt."
    )
    screenshot(page, "project-after-replan")

    # and when: asking for the status page as PDF and downloading it
    page.get_by_role("button", name="Lav statussiden som PDF").click()
    expect(page.get_by_role("status")).to_contain_text("færdig", timeout=30_000)
    assert_accessible(page, "report-request")
    with page.expect_download() as info:
        page.get_by_role("link", name="Hent PDF'en").click()
    download = info.value
    assert download.suggested_filename.startswith(f"{demo.SEED}-")
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_second_browser_changes_the_milestone_first_and_the_first_sees_a_conflict(
    browser, live_server, page, portfolio
):
    # given: the manager opens the re-plan form in one browser
    log_in(page, demo.MANAGER, demo.PASSWORDS[demo.MANAGER])
    open_seed(page)
    page.get_by_role("link", name=f"Flyt {LTT_MILESTONE}").click()
    page.get_by_label("Ny planlagt dato").fill("2027-06-01")
    page.get_by_label("Begrundelse").fill("Min begrundelse")

    # when: an administrator re-plans the same milestone in another browser, then the first saves
    other = new_page(browser, live_server)
    try:
        log_in(other, "admin", demo.PASSWORDS["admin"])
        open_seed(other)
        other.get_by_role("link", name=f"Flyt {LTT_MILESTONE}").click()
        other.get_by_label("Ny planlagt dato").fill("2027-01-15")
        other.get_by_label("Begrundelse").fill("Aftalt med KL")
        other.get_by_role("button", name="Flyt").click()
        expect(other.locator("tr[data-milestone]", has_text=LTT_MILESTONE)).to_contain_text(
            "15.01.2027"
        )
    finally:
        other.context.close()
    page.get_by_role("button", name="Flyt").click()

    # then
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("En anden har ændret dette, mens du redigerede. Intet er gemt.")
    expect(alert).to_contain_text("01.12.2026 → 15.01.2027: Aftalt med KL")
    expect(page.get_by_label("Ny planlagt dato")).to_have_value("2027-06-01")
    expect(page.get_by_label("Begrundelse")).to_have_value("Min begrundelse")
    screenshot(page, "replan-conflict")


def test_steering_group_member_records_a_decision_and_cannot_edit(page, portfolio):
    # given
    log_in(page, demo.STEERING, demo.PASSWORDS[demo.STEERING])
    open_seed(page)
    expect(page.get_by_role("link", name=f"Flyt {LTT_MILESTONE}")).to_have_count(0)
    expect(page.get_by_role("link", name="Ret projektoplysninger")).to_have_count(0)

    # when
    page.get_by_role("link", name="Registrér en beslutning").click()
    page.get_by_label("Mødedato").fill("2026-06-09")
    page.get_by_label("Beslutning").fill("Styregruppen er startet op.")
    page.get_by_label(f"Milepæl: {LTT_MILESTONE}", exact=False).check()
    page.get_by_role("button", name="Registrér beslutning").click()

    # then
    decisions = page.locator("section", has=page.get_by_role("heading", name="Styregruppens"))
    expect(decisions).to_contain_text("Møde 09.06.2026")
    expect(decisions).to_contain_text("Styregruppen er startet op.")
    expect(decisions).to_contain_text(f"Vedrører: {LTT_MILESTONE}")

    # and a forged re-plan POST, with a valid CSRF token, is refused
    milestone_url = page.locator("tr[data-milestone]", has_text=LTT_MILESTONE).get_attribute("id")
    milestone_id = milestone_url.removeprefix("milestone-")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"/projects/{demo.SEED}/milestones/{milestone_id}/replan/",
        form={"planned_on": "2030-01-01", "reason": "x", "expected_version": "1"},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    page.reload()
    expect(page.locator("tr[data-milestone]", has_text=LTT_MILESTONE)).to_contain_text("01.12.2026")


def test_as_of_view_of_the_seed_project_on_24_april_2026_shows_the_seed_facts(page, portfolio):
    log_in(page, demo.READER, demo.PASSWORDS[demo.READER])
    open_seed(page)
    page.get_by_label("Vis projektet pr.").fill("2026-04-24")
    page.get_by_role("button", name="Vis", exact=True).click()

    expect(page.get_by_role("note")).to_contain_text("som det var registreret den 24.04.2026")
    facts = page.locator(".status-page")
    for fact in [
        "24.04.2026",
        "Dorthe Skou Lassen",
        "KL & 98 kommuner – LTT-enheder",
        "National MedCom LTT leverandørgruppe: SBSYS, Novax, Netcompany, JOSA, KMD, EG Sensus",
        "forventeligt KL, KOMBIT, DSD",
        "ikke fastlagt endnu",
        "Projektet er delt i to hovedspor",
        "4 ud af 7 it-leverandører til LTT har indgået samarbejdskontrakt",
        "Afventer opstart af styregruppen, som sker når regeringsdannelse er gennemført.",
        "01.12.2026",
        "Kommunernes anvendelse af korrespondancemeddelelsen på PPR-området",
        "40 / 98",
        'I april 2026 blev enhedstypen "Lettilgængelige tilbud" tilgængelig i SOR.',
    ]:
        expect(facts).to_contain_text(fact)
    expect(page.locator(".kpi svg[role=img] circle")).to_have_count(1)
    screenshot(page, "seed-as-of-2026-04-24")


def test_report_progress_page_shows_the_download_when_the_worker_finishes(page, portfolio):
    # given: a request still queued (as when a Celery worker has not picked it up yet)
    from reports import services
    from reports.build import pin
    from reports.models import ReportRequest

    made = ReportRequest.objects.create(
        kind=ReportRequest.STATUS_PAGE,
        project_slug=demo.SEED,
        language="da",
        as_of_time=pin().time,
        as_of_position=pin().position,
    )
    log_in(page, demo.STEERING, demo.PASSWORDS[demo.STEERING])
    page.goto(f"/reports/requests/{made.pk}/")
    expect(page.get_by_role("status")).to_contain_text("i kø")
    expect(page.get_by_role("link", name="Hent PDF'en")).to_be_hidden()

    # when: the worker makes it
    services.generate(str(made.pk))

    # then: the page notices without a reload
    expect(page.get_by_role("status")).to_contain_text("færdig")
    expect(page.get_by_role("link", name="Hent PDF'en")).to_be_visible()
