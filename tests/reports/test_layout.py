"""The status page's layout, read back from the PDF: one page, inside the margins, legible."""

import re
from datetime import date, timedelta

import pytest
from reportlab.lib.pagesizes import A4

from reports.pdf.render import render_status_page
from reports.pdf.styles import BODY_SIZE, PAGE_MARGIN
from reports.snapshot import KpiPoint

from .pdftext import reader, runs
from .seed import seed_snapshot

# What may be smaller than body text: chart labels (numbers, dates, "40 af 98"), badge words.
CHART_LABEL = re.compile(r"[\d.,]+( af [\d.,]+)?")
BADGE_WORDS = {"Ikke", "vurderet", "Ikke vurderet", "Grøn", "Gul", "Rød"}


def _body(page_runs):
    """Return the runs between header and footer."""
    return [r for r in page_runs if PAGE_MARGIN + 2 < r.y < A4[1] - PAGE_MARGIN - 2]


def test_the_seed_page_is_one_a4_page():
    pdf = render_status_page(seed_snapshot())
    assert len(reader(pdf).pages) == 1
    assert [round(v) for v in reader(pdf).pages[0].mediabox[2:]] == [595, 842]


def test_no_text_runs_past_the_right_margin_or_is_smaller_than_body_text():
    pdf = render_status_page(seed_snapshot())
    page_runs = runs(pdf)
    assert len(page_runs) > 100
    right = A4[0] - PAGE_MARGIN
    beyond = [(r.text, round(r.right, 1)) for r in page_runs if r.right > right + 0.5]
    assert beyond == []
    small = [
        r.text
        for r in _body(page_runs)
        if r.size < BODY_SIZE and not CHART_LABEL.fullmatch(r.text) and r.text not in BADGE_WORDS
    ]
    assert small == []
    # the purpose, the longest body text, is set at 9 pt or more
    purpose = [r for r in page_runs if r.text.startswith("”På Tværs")]
    assert purpose and all(r.size >= BODY_SIZE for r in purpose)


def test_headings_stand_out_from_body_text():
    page_runs = runs(render_status_page(seed_snapshot()))
    heading = next(r for r in page_runs if r.text == "Formål")
    assert heading.size >= BODY_SIZE + 2 and heading.font.endswith("Bold")


def test_the_biggest_risk_sentence_is_printed_once():
    pdf = render_status_page(seed_snapshot())
    text = " ".join(reader(pdf).pages[0].extract_text().split())
    assert text.count("Afventer opstart af styregruppen, som sker når regeringsdannelse") == 2
    # once in the status narrative, once as the risk; not a second time as its description


def _series(count: int):
    start = date(2023, 1, 2)
    kpi = seed_snapshot().kpis[0]
    points = tuple(
        KpiPoint(start + timedelta(days=30 * i), str(min(98, 3 + 2 * i)), "") for i in range(count)
    )
    return kpi.__class__(**{**kpi.__dict__, "points": points})


def _overlaps(a, b) -> bool:
    apart = a.right <= b.x + 0.3 or b.right <= a.x + 0.3
    return not apart and abs(a.y - b.y) < min(a.size, b.size) * 0.9


@pytest.mark.parametrize("count", [1, 5, 40])
def test_kpi_chart_labels_never_overprint_and_the_axis_reaches_the_denominator(count):
    pdf = render_status_page(seed_snapshot(kpis=(_series(count),)))
    labels = [r for r in _body(runs(pdf)) if CHART_LABEL.fullmatch(r.text) and r.size < BODY_SIZE]
    dates = [r for r in labels if re.fullmatch(r"\d\d\.\d\d\.\d{4}", r.text)]
    assert dates, "the date axis is labelled"
    assert dates[-1].text == _series(count).points[-1].measured_on.strftime("%d.%m.%Y")
    clashes = [
        (a.text, b.text) for i, a in enumerate(labels) for b in labels[i + 1 :] if _overlaps(a, b)
    ]
    assert clashes == []
    assert "98" in {r.text for r in labels}  # the ceiling is labelled with the denominator


@pytest.mark.parametrize("words", [20, 40])
def test_the_kpi_block_splits_or_shrinks_rather_than_leave_a_page_near_empty(words):
    # given a purpose long enough to push the monitoring section to the end of page 1
    from .seed import PURPOSE

    pdf = render_status_page(seed_snapshot(purpose=PURPOSE + "\n\n" + "Mere tekst her. " * words))
    # then page 1 is used to its foot: less than a tenth of its frame is left empty
    assert len(reader(pdf).pages) == 2
    lowest = min(r.y for r in _body(runs(pdf, 0)))
    assert lowest < PAGE_MARGIN + 0.1 * (A4[1] - 2 * PAGE_MARGIN)
