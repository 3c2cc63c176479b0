"""The derived traffic light: the rule table, and a "watermelon" project (green reported while
its plan slips) through the API, the web page and the PDF."""

from datetime import date

import pytest

from milestones import commands as milestones
from reports.build import build_status_page
from reports.lights import RED, SLIPPED, Thresholds, derive_light, needs_justification
from reports.pdf.render import render_status_page
from reports.snapshot import MilestoneRow
from tests.api import portfolio_data
from tests.web.test_edit import form_fields

from .pdftext import all_text, flat

TODAY = date(2026, 9, 1)


def row(title, original, current, achieved=None):
    return MilestoneRow(1, title, None, original, current, achieved, False, 1)


def light(*rows, **kwargs):
    facts = {"reported_on": TODAY, "last_meeting": None, "today": TODAY} | kwargs
    return derive_light(milestones=rows, **facts)


def test_the_rule_table():
    ahead = date(2027, 1, 1)
    assert light(row("A", ahead, ahead)).rating == "green"
    assert light(row("A", ahead, date(2027, 2, 15))).rating == "yellow"  # 45 days slip
    assert light(row("A", ahead, date(2027, 4, 15))).rating == "red"  # 104 days slip
    assert light(row("A", date(2026, 8, 20), date(2026, 8, 20))).rating == "yellow"  # overdue 12
    assert light(row("A", date(2026, 7, 1), date(2026, 7, 1))).rating == "red"  # overdue 62
    achieved = row("A", date(2026, 1, 1), date(2026, 7, 1), date(2026, 7, 1))
    assert light(achieved).rating == "green"  # an achieved milestone no longer counts
    assert light(risk_title="R", risk_score=15).rating == "yellow"
    assert light(risk_title="R", risk_score=14).rating == "green"
    stale = light(reported_on=date(2026, 5, 1), last_meeting=date(2026, 6, 1))
    assert stale.rating == "yellow" and stale.reasons[0].since == date(2026, 6, 1)
    assert light(reported_on=date(2026, 6, 1), last_meeting=date(2026, 6, 1)).rating == "green"


def test_thresholds_are_settings(settings):
    from reports.derived import thresholds

    settings.LIGHT_RED_SLIP_DAYS = 200
    assert thresholds() == Thresholds(red_slip_days=200)


def test_a_differing_rating_needs_a_justification_only_between_colours():
    assert needs_justification("green", "red")
    assert not needs_justification("red", "red")
    assert not needs_justification("finished", "red")
    assert not needs_justification(None, "red")


@pytest.fixture
def watermelon(pinned_today, db, users, manager):
    """Alpha's LTT track: Udrulning re-planned four months, reported green."""
    data = portfolio_data.build(users)
    milestones.milestone_replan(
        milestone_id=data.m["Udrulning"],
        planned_on=date(2027, 5, 31),
        reason="Leverandør forsinket",
        expected_version=1,
        actor=users["manager"],
        known_at=portfolio_data.at("2026-03-01"),
    )
    return data


def test_a_watermelon_is_refused_green_without_a_justification(watermelon, manager, reader):
    body = {"track": "LTT", "rating": "green", "narrative": "Alt går godt"}
    refused = manager.post("/api/v1/projects/alpha/status/", body, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["field"] == "justification"

    why = "Leverandøren har lovet at indhente forsinkelsen"
    answer = manager.post(
        "/api/v1/projects/alpha/status/", body | {"justification": why}, format="json"
    )
    assert answer.status_code == 200, answer.content

    ltt = next(
        t for t in reader.get("/api/v1/projects/alpha/").json()["tracks"] if t["name"] == "LTT"
    )
    assert (ltt["rating"], ltt["derived_rating"]) == ("green", RED)
    assert ltt["rating_justification"] == why
    assert ltt["derived_reasons"][0] == {
        "rating": "red",
        "rule": SLIPPED,
        "subject": "Udrulning",
        "value": 120,
        "limit": 90,
        "since": None,
    }


WHY = "Leverandøren har lovet at indhente forsinkelsen"


@pytest.fixture
def reported_green(watermelon, manager):
    body = {"track": "LTT", "rating": "green", "narrative": "Alt går godt", "justification": WHY}
    assert manager.post("/api/v1/projects/alpha/status/", body, format="json").status_code == 200
    return watermelon


def test_the_web_page_shows_both_lights(reported_green, users, client):
    client.force_login(users["reader"])
    page = client.get("/projects/alpha/", HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200
    html = page.content.decode()
    ltt = html[html.index('data-track="LTT"') :]
    ltt = ltt[: ltt.index("<h2")]
    assert "Grøn" in ltt or "grøn" in ltt  # reported
    assert 'data-derived="red"' in ltt
    assert "Udrulning: planen er flyttet 120 dage (grænse 90)" in ltt
    assert WHY in ltt


def test_the_pdf_shows_both_lights(reported_green):
    text = flat(all_text(render_status_page(build_status_page("alpha"))))
    assert "Afledt: Rød (Udrulning: planen er flyttet 120 dage (grænse 90)" in text
    assert f"Begrundelse for grøn: {WHY}" in text


def test_the_light_as_of_a_past_date_is_judged_on_that_date(watermelon):
    # Before the re-plan on 1 March Udrulning had not moved: the light was green then.
    then = build_status_page("alpha", date(2026, 2, 20))
    ltt = next(x for x in then.lights if x.track == "LTT")
    assert (ltt.derived, ltt.reasons) == ("green", ())


def test_the_web_form_refuses_a_watermelon_without_a_justification(watermelon, users, client):
    client.force_login(users["manager"])
    ltt = watermelon.tracks["LTT"]
    url = f"/projects/alpha/status/{ltt}/"
    fields = form_fields(client.get(url, HTTP_ACCEPT_LANGUAGE="da"))
    green = fields | {"rating": "green", "narrative": "Alt går godt", "reported_on": "2026-09-01"}
    refused = client.post(url, green, HTTP_ACCEPT_LANGUAGE="da")
    assert refused.status_code == 200
    assert 'id="id_justification"' in refused.content.decode()
    assert refused.context["form"].errors["justification"] == [
        "Vurderingen afviger fra det afledte lys: skriv hvorfor."
    ]

    done = client.post(url, green | {"justification": WHY}, HTTP_ACCEPT_LANGUAGE="da")
    assert done.status_code == 302
    page = client.get("/projects/alpha/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert WHY in page
