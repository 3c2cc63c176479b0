"""A stale edit form never undoes a colleague's change: it sends only what its user changed."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User

from milestones.commands import milestone_replan, milestone_retitle
from milestones.models import Milestone
from portfolio.commands import project_update
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Project

from . import demo
from .test_edit import form_fields
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo.load()


def details_form(client) -> tuple[str, dict]:
    """Return the details page's URL and the form as a browser sends it untouched (CR LF)."""
    url = f"/projects/{demo.EXAMPLE}/edit/"
    project = Project.objects.get(slug=demo.EXAMPLE)
    fields = {
        "title": project.title,
        "project_leader": project.project_leader,
        "purpose": project.purpose.replace("\n", "\r\n") + "  ",
        "milestone_note": project.milestone_note.replace("\n", "\r\n"),
        "read_more_label": project.read_more_label,
        "read_more_url": project.read_more_url,
        "read_more_note": project.read_more_note,
        "steering_group": "\r\n".join(project.steering_group),
    }
    return url, form_fields(client.get(url)) | fields


def colleague_sets(**changes) -> None:
    project = Project.objects.get(slug=demo.EXAMPLE)
    admin = User.objects.get(username="admin")
    project_update(project_id=project.id, changes=changes, expected_version=None, actor=admin)


def test_saving_an_untouched_form_appends_nothing(client, loaded):
    # given: a purpose with several lines, sent back by the browser with CR LF and a blank
    colleague_sets(purpose="Første linje.\n\nAnden linje.")
    client = as_user(client, demo.MANAGER)
    url, fields = details_form(client)
    assert "\r\n" in fields["purpose"]
    before = StoredEvent.objects.count()

    # when
    response = client.post(url, fields, follow=True)

    # then
    assert StoredEvent.objects.count() == before
    assert "Intet er ændret, så intet er gemt." in text(response)


def test_a_stale_form_keeps_the_colleagues_change_and_saves_its_own(client, loaded):
    # given: the manager opens the details form; a colleague then names another leader
    client = as_user(client, demo.MANAGER)
    url, fields = details_form(client)
    colleague_sets(project_leader="Kollegaens Leder")

    # when: the manager changes only the milestone note and saves the stale form
    response = client.post(url, fields | {"milestone_note": "Min note."}, follow=True)

    # then: both changes stand, and the page says what happened
    project = Project.objects.get(slug=demo.EXAMPLE)
    assert (project.project_leader, project.milestone_note) == ("Kollegaens Leder", "Min note.")
    page = text(response)
    assert "Gemt. Ændret: Note til milepæle." in page
    assert "En andens ændring af Projektleder er bevaret." in page


def test_a_field_both_changed_shows_both_values_and_the_choice_is_saved(client, loaded):
    # given
    client = as_user(client, demo.MANAGER)
    url, fields = details_form(client)
    colleague_sets(project_leader="Kollegaens Leder")
    before = StoredEvent.objects.count()

    # when: the manager changed the leader too, and a note only they changed
    response = client.post(url, fields | {"project_leader": "Min Leder", "milestone_note": "N."})

    # then: nothing saved yet; both values are shown with a choice
    assert response.status_code == 409
    assert StoredEvent.objects.count() == before
    page = text(response)
    assert "Projektleder: ændret af jer begge" in page
    assert "Behold deres: Kollegaens Leder" in page and "Brug din: Min Leder" in page
    again = form_fields(response)
    html = response.content.decode()
    assert "\nN.</textarea>" in html  # the manager's other change is still in the form

    # when: keeping theirs
    data = fields | again | {"project_leader": "Min Leder", "milestone_note": "N."}
    client.post(url, data | {"keep_project_leader": "theirs"})

    # then
    project = Project.objects.get(slug=demo.EXAMPLE)
    assert (project.project_leader, project.milestone_note) == ("Kollegaens Leder", "N.")


def test_choosing_yours_in_a_clash_saves_yours(client, loaded):
    client = as_user(client, demo.MANAGER)
    url, fields = details_form(client)
    colleague_sets(project_leader="Kollegaens Leder")
    response = client.post(url, fields | {"project_leader": "Min Leder"})
    assert response.status_code == 409

    data = fields | form_fields(response) | {"project_leader": "Min Leder"}
    assert client.post(url, data | {"keep_project_leader": "yours"}).status_code == 302

    assert Project.objects.get(slug=demo.EXAMPLE).project_leader == "Min Leder"


def test_a_stale_replan_applies_on_a_milestone_renamed_meanwhile(client, loaded):
    # given: the re-plan form is open; a colleague renames the milestone
    client = as_user(client, demo.MANAGER)
    ms = Milestone.objects.get(title__startswith="Landsdækkende")
    url = f"/projects/{demo.EXAMPLE}/milestones/{ms.id}/replan/"
    hidden = form_fields(client.get(url))
    admin = User.objects.get(username="admin")
    milestone_retitle(milestone_id=ms.id, title="Nyt navn", expected_version=None, actor=admin)

    # when
    data = hidden | {"planned_on": "2027-06-01", "reason": "Forsinket."}
    response = client.post(url, data)

    # then: the re-plan is saved on the renamed milestone
    assert response.status_code == 302
    ms.refresh_from_db()
    assert (ms.title, ms.planned_on) == ("Nyt navn", date(2027, 6, 1))


def test_a_replan_to_the_date_a_colleague_chose_meanwhile_is_no_clash(client, loaded):
    client = as_user(client, demo.MANAGER)
    ms = Milestone.objects.get(title__startswith="Landsdækkende")
    url = f"/projects/{demo.EXAMPLE}/milestones/{ms.id}/replan/"
    hidden = form_fields(client.get(url))
    admin = User.objects.get(username="admin")
    milestone_replan(
        milestone_id=ms.id,
        planned_on=date(2027, 6, 1),
        reason="Aftalt.",
        expected_version=None,
        actor=admin,
    )
    before = StoredEvent.objects.count()

    response = client.post(url, hidden | {"planned_on": "2027-06-01", "reason": "Også min."})

    assert response.status_code == 302
    assert StoredEvent.objects.count() == before


def test_a_list_both_changed_is_shown_row_by_row_with_track_names(client, loaded):
    # given: the participants form is open; a colleague lists other participants
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.SEED}/participants/"
    response = client.get(url)
    fields = form_fields(response)
    html = response.content.decode()
    ltt = re.search(r'<option value="([^"]+)" selected>LTT</option>', html).group(1)
    project = Project.objects.get(slug=demo.SEED)
    admin = User.objects.get(username="admin")
    project_update(
        project_id=project.id,
        changes={"participants": [{"track": ltt, "text": "Kollegaens liste"}]},
        expected_version=None,
        actor=admin,
    )

    # when: the manager sends another list from the stale form
    response = client.post(url, fields | {"track_0": ltt, "text_0": "Min liste"})

    # then: both lists, the track by its name
    assert response.status_code == 409
    page = text(response)
    assert "Behold deres: LTT · Kollegaens liste" in page
    assert "Brug din: LTT · Min liste" in page
    assert ltt not in page


def test_a_stale_list_form_keeps_a_colleagues_other_change(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.SEED}/participants/"
    fields = form_fields(client.get(url))
    project = Project.objects.get(slug=demo.SEED)
    admin = User.objects.get(username="admin")
    project_update(
        project_id=project.id,
        changes={"project_leader": "Kollegaens Leder"},
        expected_version=None,
        actor=admin,
    )

    response = client.post(url, fields | {"track_0": "", "text_0": "Kun MedCom"})

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.project_leader == "Kollegaens Leder"
    assert project.participants == [{"track": "", "text": "Kun MedCom"}]
