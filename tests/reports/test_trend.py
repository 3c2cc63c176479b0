"""The milestone trend analysis: from the log's re-plans, laid out, drawn in the status page."""

import dataclasses
import re
from datetime import date

import pytest
from reportlab.lib.pagesizes import A4

from milestones import commands as milestones
from reports.build import build_status_page
from reports.html import render_status_page_html
from reports.pdf.render import render_status_page
from reports.pdf.styles import PAGE_MARGIN
from reports.trend import MAX_LINES, MAX_TICKS, PlanHistory, trend_layout
from tests.api import portfolio_data

from .pdftext import all_text, reader, runs
from .seed import seed_snapshot


def _moved_seed():
    """The seed page, its first milestone re-planned twice and its second achieved."""
    snapshot = seed_snapshot()
    first, second = snapshot.milestones
    first = dataclasses.replace(
        first,
        replan_count=2,
        plans=(
            (date(2026, 1, 10), date(2026, 6, 1)),
            (date(2026, 3, 1), date(2026, 9, 1)),
            (date(2026, 4, 20), date(2026, 12, 1)),
        ),
    )
    second = dataclasses.replace(
        second, plans=((date(2026, 1, 5), date(2026, 3, 1)),), achieved_on=date(2026, 3, 10)
    )
    return dataclasses.replace(snapshot, milestones=(first, second))


def test_a_line_steps_up_at_each_replan_and_an_achieved_one_ends_on_the_diagonal():
    layout = trend_layout(_moved_seed().milestones, date(2026, 4, 24))
    slipped, achieved = layout.lines
    heights = [y for _, y in slipped.points]
    assert heights == sorted(heights) and len(set(heights)) == 3  # three plans, each later
    assert not slipped.achieved and slipped.points[-1][0] == pytest.approx(
        (date(2026, 4, 24) - layout.first).days / (layout.last - layout.first).days
    )
    x, y = achieved.points[-1]
    assert achieved.achieved and x == pytest.approx(y)
    assert (layout.first, layout.last) == (date(2026, 1, 5), date(2026, 12, 1))
    assert all(0 <= v <= 1 for line in layout.lines for point in line.points for v in point)


def test_a_long_plan_keeps_its_axis_labels_few():
    row = dataclasses.replace(
        seed_snapshot().milestones[0], plans=((date(2020, 1, 1), date(2029, 6, 1)),)
    )
    layout = trend_layout([row], date(2026, 4, 24))
    assert 1 < len(layout.ticks) <= MAX_TICKS
    assert all(t.day.month == 1 for t in layout.ticks)


def test_no_dated_plan_no_trend():
    row = dataclasses.replace(seed_snapshot().milestones[1], plans=((date(2026, 1, 5), None),))
    assert trend_layout([row], date(2026, 4, 24)) is None


def test_the_status_page_draws_the_trend_once_a_plan_moved_inside_the_margins():
    pdf = render_status_page(_moved_seed())
    text = all_text(pdf)
    assert "Milepælstrendanalyse" in text and "Rapporteret" in text and "Planlagt" in text
    assert "05.01.2026 – 01.12.2026" in text
    for page in range(len(reader(pdf).pages)):
        assert all(r.right <= A4[0] - PAGE_MARGIN + 0.5 for r in runs(pdf, page))
    # The seed, whose plans never moved, shows no trend and keeps to one page.
    seed = render_status_page(seed_snapshot())
    assert "Milepælstrendanalyse" not in all_text(seed) and len(reader(seed).pages) == 1


@pytest.fixture
def replanned(pinned_today, db, users):
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


def test_the_snapshot_holds_each_plan_from_the_log_as_of_its_point(replanned):
    def plans(as_of=None):
        snapshot = build_status_page("alpha", as_of)
        return next(m.plans for m in snapshot.milestones if m.title == "Udrulning")

    assert plans() == (
        (date(2026, 1, 10), date(2027, 1, 31)),
        (date(2026, 3, 1), date(2027, 5, 31)),
    )
    assert plans(date(2026, 2, 1)) == ((date(2026, 1, 10), date(2027, 1, 31)),)
    assert "Milepælstrendanalyse" in all_text(render_status_page(build_status_page("alpha")))


def test_the_html_twin_lists_every_plan_where_the_pdf_draws_the_trend():
    html = render_status_page_html(_moved_seed())
    section = html.split("Milepælstrendanalyse</h3>")[1].split("</table>")[0]
    steps = re.findall(r"<li>(.*?)</li>", section)
    assert steps == [
        "10.01.2026 → 01.06.2026",
        "01.03.2026 → 01.09.2026",
        "20.04.2026 → 01.12.2026",
        "05.01.2026 → 01.03.2026",
    ]
    assert "Milepælstrendanalyse" not in render_status_page_html(seed_snapshot())


def test_a_long_project_draws_its_open_milestones_and_the_latest_achieved_only():
    # given 3 open milestones and 12 achieved, one a month through 2025
    open_ones = [
        PlanHistory(n, f"Åben {n}", ((date(2025, 1, 1), date(2026, 6, 1)),), None)
        for n in (1, 2, 3)
    ]
    achieved = [
        PlanHistory(n + 4, f"Nået {n}", ((date(2025, 1, 1), date(2025, n, 1)),), date(2025, n, 15))
        for n in range(1, 13)
    ]

    # when
    layout = trend_layout([*open_ones, *achieved], date(2026, 1, 10))

    # then the open ones and the 9 achieved last are drawn, in the table's order
    assert [line.number for line in layout.lines] == [1, 2, 3, *range(8, 17)]
    assert layout.omitted == 3 and len(layout.lines) == MAX_LINES
