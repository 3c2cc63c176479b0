"""The portfolio report: cover, overview of every project, then each status page."""

import hashlib
from datetime import UTC, date, datetime

from reports.pdf.render import render_portfolio, render_status_page
from reports.snapshot import MilestoneRow, TrackStatus

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
    # Kontrakt is overdue: counted as such, so the next milestone is Go-live, as on the web page
    assert (
        "Eksempelprojekt 1 Kommuneområdet Hele projektet: Gul 01.10.2026 Go-live 1 24.04.2026"
        in (overview)
    )
    assert "På tværs – Børn & Unge: Ikke vurderet; LTT: Ikke vurderet" in overview
    seed_pages = len(reader(render_status_page(seed_snapshot())).pages)
    example_pages = len(reader(render_status_page(_example(1))).pages)
    assert len(texts) == 2 + seed_pages + 2 * example_pages
    starts = [i for i, t in enumerate(texts) if t.startswith("Kommuneområdet\n")]
    assert starts == [2, 2 + seed_pages, 2 + seed_pages + example_pages]
    for number, text in enumerate(texts, start=1):
        assert f"Side {number} af {len(texts)}" in text
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
