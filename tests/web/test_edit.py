"""The edit forms through the test client: commands, errors, conflicts and refusals."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from milestones.models import Milestone
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Decision, Project
from tests import factories

from . import demo
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db):
    demo.load()


def milestone(title_start: str) -> Milestone:
    return Milestone.objects.get(title__startswith=title_start)


def form_fields(response) -> dict:
    html = response.content.decode()
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_manager_replans_a_milestone_with_a_reason(client, loaded):
    # given
    client = as_user(client, demo.MANAGER)
    ms = milestone("Landsdækkende")
    url = f"/projects/{demo.EXAMPLE}/milestones/{ms.id}/replan/"
    hidden = form_fields(client.get(url))

    # when
    response = client.post(
        url, hidden | {"planned_on": "2027-03-01", "reason": "Leverandøren er forsinket."}
    )

    # then
    assert response.status_code == 302
    ms.refresh_from_db()
    assert (ms.planned_on, ms.original_plan, ms.replan_count) == (
        date(2027, 3, 1),
        date(2026, 12, 1),
        1,
    )
    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    assert "01.03.2027 oprindeligt 01.12.2026" in page
    assert "(01.12.2026 → 01.03.2027: Leverandøren er forsinket.)" in page


def test_a_form_submitted_twice_acts_once(client, loaded):
    # given: a manager's milestone form, and a second one opened beside it
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/milestones/new/"
    form = client.get(url)
    hidden, other = form_fields(form), form_fields(client.get(url))
    fields = {"title": "Dobbeltklik", "planned_on": "2027-05-01", "track": ""}

    # when: the same form is sent twice (a double click, or a retry after a lost answer)
    first = client.post(url, hidden | fields)
    second = client.post(url, hidden | fields)

    # then: one milestone, both answered as saved; another form is another command
    assert (first.status_code, second.status_code) == (302, 302)
    assert Milestone.objects.filter(title="Dobbeltklik").count() == 1
    assert hidden["command_id"] != other["command_id"]
    assert "no-store" in form["Cache-Control"]
    client.post(url, other | fields)
    assert Milestone.objects.filter(title="Dobbeltklik").count() == 2


def test_replan_without_reason_says_so_next_to_the_field_and_keeps_the_input(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/milestones/{milestone('Landsdækkende').id}/replan/"
    before = StoredEvent.objects.count()
    html = client.post(url, form_fields(client.get(url)) | {"planned_on": "2027-03-01"})
    html = html.content.decode()
    assert 'id="id_reason-error">Dette felt er påkrævet.</p>' in html
    assert 'value="2027-03-01"' in html
    assert StoredEvent.objects.count() == before


def test_domain_errors_are_shown_next_to_their_field_in_danish(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/milestones/{milestone('Landsdækkende').id}/achieve/"
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    html = client.post(url, form_fields(client.get(url)) | {"achieved_on": tomorrow})
    assert 'id="id_achieved_on-error">Datoen må ikke ligge i fremtiden.</p>' in (
        html.content.decode()
    )


def test_stale_form_gets_a_conflict_keeps_the_input_and_shows_what_changed(client, loaded):
    # given: the manager opens the re-plan form
    client = as_user(client, demo.MANAGER)
    ms = milestone("Landsdækkende")
    url = f"/projects/{demo.EXAMPLE}/milestones/{ms.id}/replan/"
    hidden = form_fields(client.get(url))
    # and someone else re-plans the same milestone meanwhile
    from milestones.commands import milestone_replan

    milestone_replan(
        milestone_id=ms.id,
        planned_on=date(2027, 1, 15),
        reason="Aftalt på møde.",
        expected_version=None,
        actor=User.objects.get(username="admin"),
    )

    # when
    response = client.post(url, hidden | {"planned_on": "2027-06-01", "reason": "Min grund."})

    # then: nothing of the stale form was written, and the page says why
    assert response.status_code == 409
    ms.refresh_from_db()
    assert ms.planned_on == date(2027, 1, 15)
    page = text(response)
    assert "En anden har ændret dette, mens du redigerede. Intet er gemt." in page
    assert "admin Flyttet : Landsdækkende udbredelse (01.12.2026 → 15.01.2027: Aftalt" in page
    html = response.content.decode()
    assert 'value="2027-06-01"' in html and "Min grund.</textarea>" in html
    # and sending it again is now a deliberate choice against the current version
    again = client.post(url, form_fields(response) | {"planned_on": "2027-06-01", "reason": "Ok."})
    assert again.status_code == 302


def test_steering_group_member_sees_no_edit_controls_and_forged_posts_are_refused(client, loaded):
    client = as_user(client, demo.STEERING)
    ms = milestone("Landsdækkende")
    page = client.get(f"/projects/{demo.EXAMPLE}/").content.decode()
    assert "/replan/" not in page and "/edit/" not in page and "Registrér en beslutning" in page

    url = f"/projects/{demo.EXAMPLE}/milestones/{ms.id}/replan/"
    before = StoredEvent.objects.count()
    assert client.get(url).status_code == 403
    forged = {"expected_version": ms.version, "planned_on": "2030-01-01", "reason": "x"}
    assert client.post(url, forged).status_code == 403
    assert client.post(f"/projects/{demo.EXAMPLE}/edit/", {"title": "Hacked"}).status_code == 403
    assert StoredEvent.objects.count() == before


def test_manager_of_another_project_cannot_edit_this_one(client, loaded):
    other = factories.user("project_managers", username="anden")
    factories.project(other)
    client.force_login(other)
    url = f"/projects/{demo.EXAMPLE}/milestones/{milestone('Landsdækkende').id}/replan/"
    assert client.post(url, {"planned_on": "2030-01-01", "reason": "x"}).status_code == 403


def test_anonymous_post_is_sent_to_login_and_changes_nothing(client, loaded):
    before = StoredEvent.objects.count()
    response = client.post(f"/projects/{demo.EXAMPLE}/edit/", {"title": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert StoredEvent.objects.count() == before


def test_forms_are_protected_against_cross_site_posts(loaded):
    from django.test import Client

    client = as_user(Client(enforce_csrf_checks=True), demo.MANAGER)
    response = client.post(f"/projects/{demo.EXAMPLE}/edit/", {"title": "x"})
    assert response.status_code == 403


def test_steering_group_member_records_a_decision(client, loaded):
    client = as_user(client, demo.STEERING)
    ms = milestone("Landsdækkende")
    url = f"/projects/{demo.EXAMPLE}/decisions/new/"
    response = client.post(
        url,
        form_fields(client.get(url))
        | {"meeting_on": "2026-11-02", "text": "Udbredelsen **godkendes**.", "affects": [ms.id]},
    )
    assert response.status_code == 302
    decision = Decision.objects.get(text="Udbredelsen **godkendes**.")
    assert decision.affects == [ms.id] and decision.recorded_by == demo.STEERING
    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    decisions = page[page.index("Styregruppens beslutninger") : page.index("Seneste ændringer")]
    assert "Møde 02.11.2026 Udbredelsen" in decisions
    assert "Vedrører: Landsdækkende udbredelse" in decisions


def test_manager_cannot_record_a_decision(client, loaded):
    client = as_user(client, demo.MANAGER)
    assert client.get(f"/projects/{demo.EXAMPLE}/decisions/new/").status_code == 403


def test_preview_shows_the_rich_text_and_saves_nothing(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/status/-/"
    before = StoredEvent.objects.count()
    response = client.post(
        url,
        form_fields(client.get(url))
        | {"narrative": "Alt <i>går</i> godt", "reported_on": "2026-11-01", "preview": "1"},
    )
    html = response.content.decode()
    assert "Forhåndsvisning: Status" in html
    assert "Alt &lt;i&gt;går&lt;/i&gt; godt" in html
    assert StoredEvent.objects.count() == before


def test_status_report_and_details_edit_reach_the_page(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/status/-/"
    data = {"rating": "red", "narrative": "Stop.", "reported_on": "2026-11-02"}
    data["justification"] = "Leverandøren er gået konkurs"  # whatever the plan says
    assert client.post(url, form_fields(client.get(url)) | data).status_code == 302
    url = f"/projects/{demo.EXAMPLE}/edit/"
    fields = form_fields(client.get(url))
    project = Project.objects.get(slug=demo.EXAMPLE)
    data = {
        "title": project.title,
        "project_leader": "Ny Leder",
        "purpose": project.purpose,
        "steering_group": "Anna Formand\n\n  Bo <b>Næstformand</b>  \n",
    }
    assert client.post(url, fields | data).status_code == 302
    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    assert "Projektleder Ny Leder" in page and "Hele projektet rød Stop." in page
    assert "Styregruppe Anna Formand Bo <b>Næstformand</b>" in page  # escaped, shown as typed
    project.refresh_from_db()
    assert project.steering_group == ["Anna Formand", "Bo <b>Næstformand</b>"]
    overview = text(client.get("/?rating=red"))
    assert "Eksempel: demoprojekt" in overview


def test_manager_edits_participants_and_suppliers_as_rows(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.SEED}/participants/"
    response = client.get(url)
    fields = form_fields(response)
    html = response.content.decode()
    assert fields["rows"] == "4"  # one participant and three blank rows
    assert "<legend>Deltagere 1</legend>" not in html and "<legend>Deltager 1</legend>" in html
    ltt = re.search(r'<option value="([^"]+)" selected>LTT</option>', html).group(1)
    data = fields | {
        "track_0": ltt,
        "text_0": "KL & 98 kommuner",
        "track_1": "",
        "text_1": "MedCom",
    }
    assert client.post(url, data).status_code == 302
    project = Project.objects.get(slug=demo.SEED)
    assert project.participants == [
        {"track": ltt, "text": "KL & 98 kommuner"},
        {"track": "", "text": "MedCom"},
    ]

    url = f"/projects/{demo.SEED}/suppliers/"
    fields = form_fields(client.get(url))
    data = fields | {"track_0": "", "name_0": "Netcompany", "state_0": "decided", "rows": "1"}
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.suppliers == [{"track": "", "name": "Netcompany", "state": "decided"}]


def test_manager_adds_a_track_and_a_kpi(client, loaded):
    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/tracks/new/"
    data = {
        "name": "Drift",
        "title": "Drift og vedligehold",
        "monitoring_note": "Følges *månedligt*.",
    }
    assert client.post(url, form_fields(client.get(url)) | data).status_code == 302
    url = f"/projects/{demo.EXAMPLE}/kpis/new/"
    data = {"name": "Antal brugere", "unit": "brugere", "denominator": "", "description": ""}
    assert client.post(url, form_fields(client.get(url)) | data).status_code == 302
    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    assert "Drift" in page and "Følges månedligt" in page
    assert "Antal brugere" in page


def test_manager_renames_a_milestone_and_edits_a_risk(client, loaded):
    from risks.models import Risk

    client = as_user(client, demo.MANAGER)
    ms = milestone("Landsdækkende")
    url = f"/projects/{demo.EXAMPLE}/milestones/{ms.id}/rename/"
    data = {"title": "Landsdækkende drift"}
    assert client.post(url, form_fields(client.get(url)) | data).status_code == 302
    risk = Risk.objects.get(project__slug=demo.EXAMPLE)
    url = f"/projects/{demo.EXAMPLE}/risks/{risk.id}/edit/"
    data = {"title": risk.title, "description": "Ny beskrivelse", "owner": "Ny ejer"}
    assert client.post(url, form_fields(client.get(url)) | data).status_code == 302
    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    assert "Landsdækkende drift" in page and "Ny ejer" in page


def test_refusal_is_a_page_in_the_users_language(client, loaded):
    response = as_user(client, demo.READER).get(f"/projects/{demo.EXAMPLE}/edit/")
    assert response.status_code == 403
    assert "Ikke tilladt" in text(response)


def test_a_too_long_milestone_title_is_refused_next_to_the_field(client, loaded):
    from milestones import limits

    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/milestones/new/"
    before = StoredEvent.objects.count()
    response = client.post(url, form_fields(client.get(url)) | {"title": "x" * (limits.TITLE + 1)})
    assert 'id="id_title-error">For lang.</p>' in response.content.decode()
    assert StoredEvent.objects.count() == before
