"""The portfolio report: cover, overview of every project, then each status page."""

import dataclasses
import hashlib
import re
from datetime import UTC, date, datetime

from reports.html import render_portfolio_html
from reports.lights import RED, SLIPPED, STALE, YELLOW, Reason
from reports.pdf.render import render_portfolio, render_status_page
from reports.pdf.styles import RATING_COLOURS
from reports.snapshot import MilestoneRow, TrackLight, TrackStatus

from .pdftext import all_text, flat, page_texts, reader
from .seed import seed_snapshot


def _example(number: int):
    return seed_snapshot(
        project_slug=f"eksempel-{number}",
        title=f"Eksempelprojekt {number}",
        statuses=(TrackStatus(None, "yellow", "Forsinket leverance.", date(2026, 4, 20)),),
        milestones=(
            MilestoneRow(1, "Kontrakt", None, date(2026, 3, 1), date(2026, 3, 1), None, True, 0),
            MilestoneRow(2, "Go-live", None, date(2026, 9, 1), date(2026, 10, 1), None, False, 1),
        ),
    )


def test_cover_overview_and_each_status_page():
    # given the seed project and two examples
    snapshots = [seed_snapshot(), _example(1), _example(2)]
    as_of = datetime(2026, 4, 24, 10, 0, tzinfo=UTC)
    # when the portfolio is rendered
    pdf = render_portfolio(snapshots, area="Kommuneområdet", as_of=as_of)
    texts = page_texts(pdf)
    # then page 1 is the cover, page 2 the overview, then each project's pages in order
    assert "Porteføljerapport" in texts[0] and "Område: Kommuneområdet" in texts[0]
    assert "Status pr. 24.04.2026 kl. 12:00" in texts[0] and "3 projekter" in texts[0]
    overview = flat(texts[1])
    assert "Oversigt over projekterne" in overview
    # Kontrakt is overdue: marked so, counted as such, and the next milestone still planned
    # is Go-live, as on the web page
    assert (
        "Kommuneområdet På tværs – Børn & Unge + Lettilgængelige tilbud" in overview
    )  # the area's heading row, then its projects
    assert (
        "Eksempelprojekt 1 Hele projektet: Gul Overskredet: 01.03.2026 Kontrakt "
        "01.10.2026 Go-live 1 24.04.2026"
    ) in overview
    assert "På tværs – Børn & Unge: Ikke vurderet afledt Grøn LTT: Ikke vurderet" in overview
    seed_pages = len(reader(render_status_page(seed_snapshot())).pages)
    example_pages = len(reader(render_status_page(_example(1))).pages)
    assert len(texts) == 2 + seed_pages + 2 * example_pages
    starts = [i for i, t in enumerate(texts) if t.startswith("Kommuneområdet\n")]
    assert starts == [2, 2 + seed_pages, 2 + seed_pages + example_pages]
    for number, text in enumerate(texts, start=1):
        # the total is a form drawn on every page, made once it is known: text of its own
        assert f"Side {number} af {len(texts)}" in flat(text)
    # the header of a project's later pages names that project
    assert "Eksempelprojekt 2" in texts[-1]


def test_portfolio_is_reproducible_and_english_works():
    snapshots = [_example(1), _example(2)]
    first = render_portfolio(snapshots, language="en")
    again = render_portfolio(snapshots, language="en")
    assert hashlib.sha256(first).digest() == hashlib.sha256(again).digest()
    text = all_text(first)
    assert "Portfolio report" in text and "Area: All areas" in text
    assert reader(first).metadata.title == "Portfolio report – All areas"


def test_empty_portfolio_says_so():
    text = all_text(render_portfolio([]))
    assert "Ingen projekter." in text


def _watermelon():
    """A project reported green whose light is derived red, its status older than a meeting."""
    stale = Reason(YELLOW, STALE, "", None, None, date(2026, 4, 1))
    slipped = Reason(RED, SLIPPED, "Go-live", 120, 90)
    return dataclasses.replace(
        _example(3),
        area="Regionsområdet",
        statuses=(TrackStatus(None, "green", "Alt går godt.", date(2026, 3, 1)),),
        lights=(TrackLight(None, "green", RED, (slipped, stale), ""),),
        status_date=date(2026, 3, 1),
        last_meeting=date(2026, 4, 1),
    )


def _portfolio():
    return [_example(1), _watermelon(), _example(2)]


AS_OF = datetime(2026, 4, 24, 10, 0, tzinfo=UTC)


def test_the_cover_summarises_the_portfolio_and_the_overview_flags_what_needs_a_look():
    pdf = render_portfolio(_portfolio(), as_of=AS_OF)
    texts = [flat(t) for t in page_texts(pdf)]
    cover = texts[0]
    assert (
        "Porteføljerapport" in cover and "Område: Alle områder" in cover and "3 projekter" in cover
    )
    assert "Projekter efter rapporteret vurdering: Gul 2 · Grøn 1" in cover
    assert "Projekter efter afledt lys: Rød 1" in cover
    assert "Rapporteret og afledt afviger: 1" in cover
    assert "Overskredne milepæle: 3" in cover
    assert "Status ældre end seneste styregruppemøde: 1" in cover
    assert "Seneste styregruppemøde: 1. april 2026" in cover
    overview = texts[1]
    # grouped by area, in the order the areas first come: both Kommuneområdet projects first
    assert overview.index("Eksempelprojekt 2") < overview.index("Regionsområdet")
    assert (
        "Regionsområdet Eksempelprojekt 3 Hele projektet: Grøn afledt Rød "
        "Overskredet: 01.03.2026 Kontrakt 01.10.2026 Go-live 1 01.03.2026 Forældet"
    ) in overview
    # the project pages follow the same order
    assert "Eksempelprojekt 2" in texts[3] and "Eksempelprojekt 3" in texts[4]


def test_the_ratings_are_coloured_in_the_overview():
    pdf = render_portfolio(_portfolio(), as_of=AS_OF)
    content = reader(pdf).pages[1].get_contents().get_data().decode("latin-1")
    fills = set(re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", content))
    for rating in ("green", "yellow", "red"):
        fill = RATING_COLOURS[rating][0]
        assert f"{fill.red:g} {fill.green:g} {fill.blue:g}" in {
            " ".join(f"{float(v):g}" for v in f.split()) for f in fills
        }, rating


def test_each_area_and_project_is_a_bookmark_on_its_first_page():
    pdf = render_portfolio(_portfolio(), as_of=AS_OF)
    document = reader(pdf)
    assert document.page_mode == "/UseOutlines"

    def entries(outline, depth=0):
        for item in outline:
            if isinstance(item, list):
                yield from entries(item, depth + 1)
            else:
                yield depth, item.title, document.get_destination_page_number(item)

    assert list(entries(document.outline)) == [
        (0, "Porteføljerapport", 0),
        (0, "Oversigt over projekterne", 1),
        (0, "Kommuneområdet", 2),
        (1, "Eksempelprojekt 1", 2),
        (1, "Eksempelprojekt 2", 3),
        (0, "Regionsområdet", 4),
        (1, "Eksempelprojekt 3", 4),
    ]


def test_the_html_twin_has_the_same_cover_overview_and_footer():
    snapshots = _portfolio()
    pdf_text = all_text(render_portfolio(snapshots, as_of=AS_OF))
    html = render_portfolio_html(snapshots, as_of=AS_OF)
    text = flat(re.sub(r"<[^>]+>", " ", html.split("</style>")[1]))
    for line in (
        "Projekter efter afledt lys: Rød 1",
        "Rapporteret og afledt afviger: 1",
        "Overskredet: 01.03.2026 Kontrakt",
        "01.03.2026 Forældet",
        "Seneste styregruppemøde: 1. april 2026",
    ):
        assert line in text and line in pdf_text, line
    footer = re.search(r"<footer><p>(.*?)</p></footer>", html).group(1)
    assert footer.startswith("Status pr. 24. april 2026 · kontrolkode ")
    code = footer.rsplit(" ", 1)[1]
    assert f"kontrolkode {code}" in pdf_text  # the PDF's check code, the same document
    assert 'class="badge badge-red"' in html and 'class="badge badge-green"' in html
