"""Two people edit the same project details in two browsers, and neither loses work."""

import pytest
from playwright.sync_api import expect

from portfolio.eventstore.models import StoredEvent
from portfolio.models import Project

from . import demo
from .browser import axe_violations, describe, screenshot
from .conftest import log_in, new_page

pytestmark = pytest.mark.browser


@pytest.fixture
def two(browser, live_server, portfolio):
    """The manager and an administrator, each in a browser of their own, on the details form."""
    pages = []
    for username in (demo.MANAGER, "admin"):
        page = new_page(browser, live_server)
        log_in(page, username, demo.PASSWORDS[username])
        page.goto(f"/projects/{demo.SEED}/")
        page.get_by_role("link", name="Ret projektoplysninger").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ret projektoplysninger")
        pages.append(page)
    yield pages
    for page in pages:
        page.context.close()


def test_a_colleagues_change_survives_my_save_of_a_stale_form(two):
    a, b = two
    # given: A names a new project leader and saves
    a.get_by_label("Projektleder").fill("Anne Andersen")
    a.get_by_role("button", name="Gem").click()
    expect(a.get_by_role("status")).to_contain_text("Ændret: Projektleder")

    # when: B, whose form still shows the old leader, changes the milestone note and saves
    expect(b.get_by_label("Projektleder")).to_have_value("Dorthe Skou Lassen")
    b.get_by_label("Note til milepæle").fill("Bs note om milepælene.")
    b.get_by_role("button", name="Gem").click()

    # then: B is told both things, and the project has A's leader and B's note
    status = b.get_by_role("status")
    expect(status).to_contain_text("Ændret: Note til milepæle")
    expect(status).to_contain_text("En andens ændring af Projektleder er bevaret.")
    expect(b.locator(".status-page")).to_contain_text("Anne Andersen")
    expect(b.locator(".status-page")).to_contain_text("Bs note om milepælene.")
    violations = axe_violations(b)
    assert violations == [], describe(violations)
    project = Project.objects.get(slug=demo.SEED)
    assert (project.project_leader, project.milestone_note) == (
        "Anne Andersen",
        "Bs note om milepælene.",
    )


def test_a_field_both_changed_shows_both_values_and_the_chosen_one_is_saved(two):
    a, b = two
    # given: A changes the leader and saves
    a.get_by_label("Projektleder").fill("Anne Andersen")
    a.get_by_role("button", name="Gem").click()
    expect(a.get_by_role("status")).to_contain_text("Ændret: Projektleder")

    # when: B changes the leader too, and the note
    b.get_by_label("Projektleder").fill("Bo Bertelsen")
    b.get_by_label("Note til milepæle").fill("Bs note.")
    b.get_by_role("button", name="Gem").click()

    # then: B sees both values for the leader, and nothing is saved yet
    alert = b.get_by_role("alert")
    expect(alert).to_contain_text("Hvor I begge har ændret et felt")
    choice = b.get_by_role("group", name="Projektleder: ændret af jer begge")
    expect(choice.get_by_label("Behold deres: Anne Andersen")).not_to_be_checked()
    expect(choice.get_by_label("Brug din: Bo Bertelsen")).to_be_checked()
    expect(b.get_by_label("Note til milepæle")).to_have_value("Bs note.")
    screenshot(b, "details-clash")
    violations = axe_violations(b)
    assert violations == [], describe(violations)
    assert Project.objects.get(slug=demo.SEED).project_leader == "Anne Andersen"

    # when: B keeps A's leader and saves
    choice.get_by_label("Behold deres: Anne Andersen").check()
    b.get_by_role("button", name="Gem").click()

    # then: A's leader and B's note
    expect(b.get_by_role("status")).to_contain_text("Ændret: Note til milepæle")
    project = Project.objects.get(slug=demo.SEED)
    assert (project.project_leader, project.milestone_note) == ("Anne Andersen", "Bs note.")


def test_saving_an_unchanged_form_appends_no_event(two):
    a, _ = two
    before = StoredEvent.objects.count()

    a.get_by_role("button", name="Gem").click()

    expect(a.get_by_role("status")).to_contain_text("Intet er ændret, så intet er gemt.")
    assert StoredEvent.objects.count() == before
