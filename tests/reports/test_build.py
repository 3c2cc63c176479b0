"""Snapshots built from the domain: the seed project after load_demo is the seed page."""

import dataclasses
from datetime import date, timedelta

import pytest

from milestones import commands as milestone_commands
from milestones.models import Milestone
from portfolio.errors import NotFound
from portfolio.selectors import AsOf
from reports.build import build_portfolio, build_status_page, pin
from reports.pdf.render import render_status_page
from tests import factories

from .pdftext import all_text, flat
from .seed import SEED_FACTS, seed_snapshot

pytestmark = pytest.mark.django_db
SLUG = "paa-tvaers-boern-og-unge"
SEED_DAY = date(2026, 4, 24)


def test_the_seed_project_as_of_its_date_is_the_hand_built_seed_snapshot(demo):
    built = build_status_page(SLUG, SEED_DAY)
    assert built.as_of_time == AsOf.of_date(SEED_DAY).time
    assert built.as_of_position > 0
    expected = seed_snapshot(as_of_time=built.as_of_time, as_of_position=built.as_of_position)
    assert built == expected


def test_the_seed_projects_pdf_holds_every_seed_fact(demo):
    text = all_text(render_status_page(build_status_page(SLUG, SEED_DAY)))
    missing = [fact for fact in SEED_FACTS if flat(fact) not in text]
    assert missing == []


def test_a_later_event_changes_the_page_now_but_not_as_of_the_old_position(demo):
    # given the page as issued, pinned to a time and a log position
    issued = build_status_page(SLUG)
    old = AsOf(time=issued.as_of_time, position=issued.as_of_position)
    first = render_status_page(issued)
    # when a milestone is re-planned afterwards
    milestone = Milestone.objects.filter(project__slug=SLUG, planned_on__isnull=False).first()
    milestone_commands.milestone_replan(
        milestone_id=milestone.id,
        planned_on=date(2027, 3, 1),
        reason="Styregruppen er ikke startet",
        expected_version=None,
        actor=factories.admin(),
    )
    # then the old point renders the same bytes and now shows the new plan and the change
    assert render_status_page(build_status_page(SLUG, old)) == first
    since = build_status_page(SLUG, changes_since=issued.as_of_time)
    [row] = [row for row in since.milestones if row.title == milestone.title]
    assert row.current_plan == date(2027, 3, 1)
    text = all_text(render_status_page(since))
    assert "01.12.2026 → 01.03.2027: Styregruppen er ikke startet" in text
    assert "omplanlagt" in text


def test_unknown_project_or_a_date_before_it_existed_is_not_found(demo):
    with pytest.raises(NotFound):
        build_status_page("findes-ikke")
    with pytest.raises(NotFound):
        build_status_page(SLUG, SEED_DAY - timedelta(days=1))


def test_pin_gives_both_a_time_and_a_position(demo):
    point = pin(SEED_DAY)
    assert point.time is not None and point.position is not None
    assert pin(point) == point


def test_portfolio_holds_every_project_known_then(demo):
    seed_day = [s.project_slug for s in build_portfolio(SEED_DAY)]
    assert SLUG in seed_day
    english = build_portfolio(language="en")
    assert {s.language for s in english} == {"en"}
    assert len(english) >= len(seed_day)


def test_english_snapshot_keeps_the_facts_and_changes_only_the_language(demo):
    danish = build_status_page(SLUG, SEED_DAY)
    english = build_status_page(SLUG, SEED_DAY, language="en")
    assert dataclasses.replace(english, language="da") == danish
