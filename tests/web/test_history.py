"""The project's history: paged, filtered by kind or subject, with old and new values; and the
project page listing only the latest changes."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from milestones.commands import milestone_replan
from milestones.models import Milestone
from portfolio import commands
from portfolio.changes import Change
from portfolio.models import Project
from portfolio.web import history as history_module
from portfolio.web.history_page import PER_PAGE
from reports.pages.project import RECENT

from . import demo
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db, pinned_today):
    demo.load()


WORDS = {"green": "grøn", "yellow": "gul", "red": "rød"}


def report_statuses(count: int) -> list[str]:
    """Report the example project's status `count` times as its manager; return the ratings'
    Danish words, in the order reported."""
    project = Project.objects.get(slug=demo.EXAMPLE)
    manager = User.objects.get(username=demo.MANAGER)
    ratings = [("green", "yellow", "red")[n % 3] for n in range(count)]
    for rating in ratings:
        commands.status_report(
            project_id=project.id,
            track_id=None,
            rating=rating,
            narrative="Status.",
            expected_version=None,
            actor=manager,
        )
    return [WORDS[r] for r in ratings]


def entries(response) -> list[str]:
    """Return the text of each change listed on a page, top to bottom."""
    html = response.content.decode()
    return [
        text(item) for item in re.findall(r"<li>\s*<p class=\"timeline__when\".*?</li>", html, re.S)
    ]


def history(client, query: str = ""):
    return client.get(f"/projects/{demo.EXAMPLE}/history/{query}")


def said(entry: str) -> str:
    """Return what an entry says changed, without who, when, or the old and new values."""
    return entry.split(" · projektleder ")[1].split(" Før: ")[0]


def test_history_pages_through_every_change_newest_first(client, loaded):
    # given: more status reports than a page holds
    words = report_statuses(PER_PAGE + 10)
    client = as_user(client, demo.READER)

    # when
    first = history(client)

    # then: a page holds PER_PAGE changes, the newest first
    listed = entries(first)
    assert len(listed) == PER_PAGE
    expected = [f"Status rapporteret : Hele projektet ({word})" for word in reversed(words)]
    assert [said(entry) for entry in listed] == expected[:PER_PAGE]
    assert listed[0].endswith(f"Før: {words[-2]} → Efter: {words[-1]}")  # the rating before, too
    assert f"Ændring 1–{PER_PAGE}, nyeste først." in text(first)
    assert 'rel="prev"' not in first.content.decode()

    # and when: following "Ældre" to the end, the pages hold the whole history in order
    pages, response = [listed], first
    while 'rel="next"' in response.content.decode():
        response = history(client, f"?page={len(pages) + 1}")
        pages.append(entries(response))
        assert 'rel="prev"' in response.content.decode()
    every = history_module.entries(demo.EXAMPLE)
    whole = [f"{e.kind[:1].upper()}{e.kind[1:]} : {e.subject}" for e in every]
    seen = [entry for page in pages for entry in page]
    assert len(seen) == len(whole) > PER_PAGE + 10
    assert all(said in entry for entry, said in zip(seen, whole, strict=True))
    n = len(pages)
    assert f"Ændring {(n - 1) * PER_PAGE + 1}–{len(whole)}, nyeste først." in text(response)
    beyond = history(client, f"?page={n + 1}")
    assert beyond.status_code == 400
    assert f"Side: historikken har {n} sider med dette filter." in text(beyond)


def test_history_filters_by_kind_and_keeps_the_filter_while_paging(client, loaded):
    report_statuses(PER_PAGE + 1)
    client = as_user(client, demo.READER)

    response = history(client, "?kind=reported")

    listed = entries(response)
    assert len(listed) == PER_PAGE
    assert all("Status rapporteret" in entry for entry in listed)
    assert 'href="?kind=reported&amp;page=2"' in response.content.decode()
    page_two = entries(history(client, "?kind=reported&page=2"))
    assert page_two and all("Status rapporteret" in entry for entry in page_two)
    replanned = entries(history(client, "?kind=replanned"))
    assert replanned and all("Flyttet" in entry for entry in replanned)


def test_history_shows_a_changed_field_before_and_after(client, loaded):
    # given: the manager names a new project leader
    project = Project.objects.get(slug=demo.EXAMPLE)
    old = project.project_leader
    commands.project_update(
        project_id=project.id,
        changes={"project_leader": "Bo Bech"},
        expected_version=None,
        actor=User.objects.get(username=demo.MANAGER),
    )
    client = as_user(client, demo.READER)

    # when
    newest = entries(history(client, "?kind=changed"))[0]

    # then: the field, its old value struck through and its new one
    assert f"Ændret : Projektleder Før: {old} → Efter: Bo Bech" in newest
    assert '<del><span class="visually-hidden">Før: </span>' in history(client).content.decode()


def test_history_of_one_milestone_lists_its_plan_and_every_replan(client, loaded):
    # given: the manager moves a milestone twice
    milestone = Milestone.objects.get(project__slug=demo.EXAMPLE, title__startswith="Landsdækkende")
    manager = User.objects.get(username=demo.MANAGER)
    for day, reason in ((date(2027, 2, 1), "Sen kontrakt"), (date(2027, 3, 1), "Ferie")):
        milestone_replan(
            milestone_id=milestone.id,
            planned_on=day,
            reason=reason,
            expected_version=None,
            actor=manager,
        )
    client = as_user(client, demo.READER)

    # when
    response = history(client, f"?subject={milestone.id}")

    # then: only that milestone's changes, the re-plans with their dates and reasons
    assert "Historik: Landsdækkende udbredelse" in text(response)
    listed = entries(response)
    assert all("Landsdækkende udbredelse" in entry for entry in listed)
    assert "01.02.2027 → 01.03.2027: Ferie" in listed[0]
    assert "→ 01.02.2027: Sen kontrakt" in listed[1]
    assert "Tilføjet" in listed[-1]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?kind=deleted", "Slags: der er ingen slags ændring, der hedder “deleted”."),
        ("?page=0", "Side: skriv et sidetal, 1 eller mere."),
        ("?page=x", "Side: skriv et sidetal, 1 eller mere."),
        ("?page=999", "Side: historikken har"),
        ("?subject=nope", "Emne: projektet har ingen milepæl, risiko eller KPI"),
    ],
)
def test_history_refuses_a_bad_filter_naming_it(client, loaded, query, field):
    response = history(as_user(client, demo.READER), query)

    assert response.status_code == 400
    assert field in text(response)


def test_history_needs_a_login_and_a_known_project(client, loaded):
    assert history(client).status_code == 302
    client = as_user(client, demo.READER)
    assert client.get("/projects/no-such-project/history/").status_code == 404


def test_project_page_lists_only_the_latest_changes_and_links_the_whole_history(client, loaded):
    words = report_statuses(RECENT + 5)
    client = as_user(client, demo.READER)

    response = client.get(f"/projects/{demo.EXAMPLE}/")

    listed = entries(response)
    expected = [f"Status rapporteret : Hele projektet ({word})" for word in reversed(words)]
    assert [said(entry) for entry in listed] == expected[:RECENT]
    assert f'href="/projects/{demo.EXAMPLE}/history/"' in response.content.decode()
    assert "Hele historikken, med filtre" in text(response)


@pytest.mark.parametrize("count", [1, 3, RECENT, 1000])
def test_the_latest_changes_are_the_head_of_the_whole_history(loaded, count):
    report_statuses(2)
    for slug in (demo.SEED, demo.EXAMPLE):
        whole = [(e.change, e.detail) for e in history_module.entries(slug)]

        latest = [(e.change, e.detail) for e in history_module.recent(slug, count)]

        assert latest == whole[:count]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (Change("changed", "P", "purpose", "", "Et **nyt** formål"), ("", "Et nyt formål")),
        (Change("changed", "P", "steering_group", ("A",), ("A", "B")), ("A", "A, B")),
        (
            Change("changed", "P", "participants", (), ({"text": "KL", "track": ""},)),
            ("", "KL"),
        ),
        (
            Change("changed", "P", "suppliers", ({"name": "X", "state": "decided"},), ()),
            ("X", ""),
        ),
        (
            Change("changed", "P", "read_more", ("", "", ""), ("Læs", "https://a.dk", "")),
            ("", "Læs (https://a.dk)"),
        ),
        (Change("changed", "Kpi", "remark", "*Gammel*", "Ny"), ("Gammel", "Ny")),
        (Change("reported", "Spor A", "rating", "green", "red"), ("grøn", "rød")),
        (Change("reported", "Spor A", "rating", "red", "red"), None),
        (Change("reported", "Spor A", "rating", None, "red"), None),
        (Change("changed", "Spor A", "biggest_risk", None, "id"), None),
    ],
)
def test_a_changed_field_is_shown_as_plain_text_before_and_after(change, expected):
    with translation.override("da"):
        assert history_module.values(change) == expected


def test_a_filter_that_keeps_nothing_says_there_are_no_changes(client, loaded):
    milestone = Milestone.objects.get(project__slug=demo.EXAMPLE, title__startswith="Landsdækkende")
    client = as_user(client, demo.READER)

    response = history(client, f"?subject={milestone.id}&kind=measured")

    assert response.status_code == 200
    assert entries(response) == []
    assert "Ingen ændringer." in text(response) and "nyeste først" not in text(response)
