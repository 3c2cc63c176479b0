"""Errors in the request's language (Danish unless Accept-Language asks for English), each
naming its subject."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(pinned_today, users):
    project = factories.project(users["manager"], slug="alpha")
    return factories.milestone(users["manager"], project, title="Pilot", planned_on=pinned_today)


def replan_to_the_same_day(manager, milestone, pinned_today, **headers):
    return manager.post(
        f"/api/v1/milestones/{milestone}/replan/",
        {"planned_on": pinned_today.isoformat(), "reason": "Samme dag"},
        format="json",
        **headers,
    )


def test_a_domain_refusal_names_its_field_in_danish_or_english(pinned_today, milestone, manager):
    danish = replan_to_the_same_day(manager, milestone, pinned_today)
    english = replan_to_the_same_day(manager, milestone, pinned_today, HTTP_ACCEPT_LANGUAGE="en")

    assert danish.status_code == english.status_code == 400
    assert danish.json()["detail"] == "planned_on: Det er allerede den nuværende plan."
    assert english.json()["detail"] == "planned_on: That is the current plan already."
    assert danish.json()["field"] == english.json()["field"] == "planned_on"


def test_a_refusal_of_a_withdrawn_milestone_is_said_in_the_requests_language(milestone, manager):
    url = f"/api/v1/milestones/{milestone}/"
    manager.post(url + "withdraw/", {"reason": "Fejl"}, format="json")

    danish = manager.post(url + "retitle/", {"title": "Ny"}, format="json")
    english = manager.post(
        url + "retitle/", {"title": "Ny"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert danish.json()["detail"] == "milestone: Den er trukket tilbage."
    assert english.json()["detail"] == "milestone: It is withdrawn."


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "colour: Ukendt parameter"), ("en", "colour: Unknown query parameter")],
)
def test_an_unknown_parameter_is_named_in_the_requests_language(reader, language, expected):
    response = reader.get("/api/v1/milestones/?colour=red", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    assert response.json()["detail"].startswith(expected)


def test_an_unknown_body_field_is_named_in_danish(milestone, manager):
    response = manager.post(
        f"/api/v1/milestones/{milestone}/retitle/", {"title": "Ny", "colour": "red"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "colour: er ikke et felt i denne forespørgsel."


def test_a_read_of_a_withdrawn_milestone_says_so_in_the_requests_language(milestone, manager):
    url = f"/api/v1/milestones/{milestone}/"
    manager.post(url + "withdraw/", {"reason": "Fejl"}, format="json")

    danish = manager.get(url)
    english = manager.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert danish.status_code == english.status_code == 410
    assert danish.json()["detail"] == "Dette er trukket tilbage; projektets historik gemmer det."
    assert english.json()["detail"] == "This was withdrawn; the project's history keeps it."
