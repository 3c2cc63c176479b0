"""The changes list a steering group reads: in time order, every row with a subject, every value
in the reader's words (no raw codes)."""

from datetime import datetime

import pytest
from django.utils import translation

from portfolio.changes import changes
from portfolio.web.history import describe
from reports import wording
from reports.build import build_status_page
from reports.demo.build import at
from reports.demo.example import SLUG as EXAMPLE
from reports.pdf.render import render_status_page
from risks import commands as risks
from tests.api import portfolio_data

from .pdftext import all_text, flat

pytestmark = pytest.mark.django_db

RAW = ("closed:", "(green)", "green", "yellow", "open", "mitigated", "None", "biggest_risk")


def _rows(slug: str, language: str) -> list[tuple[str, str, str]]:
    with translation.override(language):
        return [describe(c, wording.CHANGES) for c in changes(slug, None)]


def test_every_row_has_a_subject_and_no_raw_code_in_danish(demo):
    for slug in (EXAMPLE, "paa-tvaers-boern-og-unge"):
        rows = _rows(slug, "da")
        assert rows
        for kind, subject, detail in rows:
            assert subject, (kind, detail)
            words = f"{kind} {subject} {detail}".split()
            assert not [w for w in words if w in RAW or w.startswith("closed")], (kind, detail)
    rows = _rows(EXAMPLE, "da")
    assert (
        "lukket",
        "Leverandøren når ikke testmiljøet",
        "lukket: Testmiljøet er leveret.",
    ) in rows
    assert ("rapporteret", "Hele projektet", "grøn") in rows


def test_the_pdf_changes_section_words_status_and_risk_rows(demo):
    text = flat(
        all_text(render_status_page(build_status_page(EXAMPLE, changes_since=at("2025-01-01"))))
    )
    assert "closed:" not in text and "(green)" not in text
    assert "lukket: Testmiljøet er leveret." in text


def test_changes_are_in_the_order_they_were_recorded(users):
    # given history imported late: a risk recorded on 8 January, written after February's events
    data = portfolio_data.build(users)
    risks.risk_raise(
        project_id=data.alpha,
        track_id=None,
        title="Tidlig risiko",
        probability=2,
        impact=2,
        actor=users["manager"],
        known_at=at("2026-01-08"),
    )
    found = changes("alpha", None)
    assert [(c.known_at, c.position) for c in found] == sorted(
        (c.known_at, c.position) for c in found
    )
    raised = next(i for i, c in enumerate(found) if c.subject == "Tidlig risiko")
    assert found[raised - 1].known_at <= at("2026-01-08") < found[raised + 1].known_at
    assert isinstance(found[0].known_at, datetime)
