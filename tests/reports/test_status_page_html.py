"""The accessible HTML twin: the same facts as the PDF, with headings and table headers."""

from html.parser import HTMLParser

import pytest

from reports.html import render_status_page_html
from reports.pdf.render import render_status_page
from reports.snapshot import MilestoneRow, RiskLine

from .pdftext import all_text, flat
from .seed import SEED_FACTS, seed_snapshot


class Outline(HTMLParser):
    """Collect the visible text, the headings and the table header cells of a page."""

    def __init__(self):
        super().__init__()
        self.text, self.headings, self.column_headers, self.tags = [], [], [], []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open.append(tag)
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append([tag, ""])

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data):
        if "style" in self._open or "title" in self._open:
            return
        self.text.append(data)
        if self.headings and self.headings[-1][0] in self._open:
            self.headings[-1][1] += data
        if self._open and self._open[-1] == "th":
            self.column_headers.append(data.strip())


def outline(snapshot) -> Outline:
    parser = Outline()
    parser.feed(render_status_page_html(snapshot))
    return parser


@pytest.fixture(scope="module")
def seed_outline():
    return outline(seed_snapshot())


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_the_html_twin_holds_every_seed_fact(seed_outline, fact):
    assert flat(fact) in flat(" ".join(seed_outline.text))


def test_headings_outline_the_page_in_the_pdfs_order(seed_outline):
    headings = [(tag, flat(text)) for tag, text in seed_outline.headings]
    assert headings[0] == ("h1", seed_snapshot().title)
    assert [text for tag, text in headings if tag == "h2"] == [
        "Formål",
        "Projektstatus",
        "Største risiko i projektet",
        "Milepæle",
        "Monitorering",
        "Ændringer",
    ]
    assert ("h3", "Ikke vurderet LTT (24.04.2026)") in headings


def test_tables_have_column_headers(seed_outline):
    for header in ("Nr.", "Milepæl", "Spor", "Oprindelig plan", "Plan", "Nået"):
        assert header in seed_outline.column_headers
    scopes = [attrs.get("scope") for tag, attrs in seed_outline.tags if tag == "th"]
    assert scopes and all(scope in ("col", "row") for scope in scopes)


def test_language_is_declared():
    assert render_status_page_html(seed_snapshot()).startswith('<!doctype html>\n<html lang="da">')
    english = outline(seed_snapshot(language="en"))
    assert "Milestones" in [text for _, text in english.headings]


def test_hostile_text_is_text_and_empty_sections_say_so():
    hostile = '<script>alert("x")</script> & <b>ikke fed</b>'
    snapshot = seed_snapshot(
        title=hostile,
        purpose="",
        statuses=(),
        biggest_risks=(
            RiskLine(None, hostile, f"[klik](javascript:alert(1)) {hostile}", 2, 2, "open"),
        ),
        milestones=(MilestoneRow(1, hostile, None, None, None, None, True, 0),),
        kpis=(),
        tracks=(),
    )
    html = render_status_page_html(snapshot)
    assert (
        "<script>" not in html
        and "<b>ikke" not in html
        and "javascript:" not in html.replace("[klik](javascript:alert(1))", "")
    )
    parsed = outline(snapshot)
    text = flat(" ".join(parsed.text))
    assert text.count(hostile) >= 3
    for empty in (
        "Intet formål beskrevet.",
        "Ingen status rapporteret.",
        "Ingen målinger registreret.",
        "Forsinket",
    ):
        assert empty in text


def test_portfolio_html_nests_each_status_page_under_the_report():
    from reports.html import render_portfolio_html

    other = seed_snapshot(project_slug="andet", title="Et andet projekt <b>")
    parser = Outline()
    parser.feed(render_portfolio_html([seed_snapshot(), other], area="Kommuneområdet"))
    headings = [(tag, flat(text)) for tag, text in parser.headings]
    assert headings[:2] == [("h1", "Porteføljerapport"), ("h2", "Oversigt over projekterne")]
    titles = [text for tag, text in headings if tag == "h2"][1:]
    assert titles == [seed_snapshot().title, "Et andet projekt <b>"]
    assert [text for tag, text in headings if tag == "h3"].count("Milepæle") == 2
    assert "Projekt" in parser.column_headers and "Seneste statusdato" in parser.column_headers
    assert flat(" ".join(parser.text)).count("Dorthe Skou Lassen") == 2


def test_the_footer_is_the_pdfs_document_footer_and_the_pin_is_in_the_head():
    snapshot = seed_snapshot()
    html = render_status_page_html(snapshot)
    footer = html.split("<footer>")[1].split("</footer>")[0]
    assert "Status pr. 24. april 2026 · kontrolkode " in footer
    assert "logposition" not in footer
    code = footer.split("kontrolkode ")[1].split("<")[0]
    assert f"kontrolkode {code}" in all_text(render_status_page(snapshot))
    assert 'name="portefolje-pin" content="Status pr. 24.04.2026 kl. 12:00 · logposition 1' in html
