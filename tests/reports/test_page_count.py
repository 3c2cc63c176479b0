"""The archive counts a report's pages without a PDF parser; pypdf, a test tool, agrees."""

import pytest

from reports.pdf.render import page_count, render_portfolio, render_status_page

from .pdftext import reader
from .seed import seed_snapshot


@pytest.mark.parametrize(
    "render",
    [
        lambda: render_status_page(seed_snapshot()),
        lambda: render_portfolio([]),
        lambda: render_portfolio(
            [seed_snapshot(project_slug=f"p{n}", title=f"Projekt {n}") for n in range(12)]
        ),
        # a title that spells a page tree reaches the file's metadata as it is typed
        lambda: render_status_page(
            seed_snapshot(title="<< /Count 9 /Kids [ 1 0 R ] /Type /Pages >>\n9 0 obj")
        ),
    ],
)
def test_page_count_agrees_with_a_pdf_reader(render):
    pdf = render()
    assert page_count(pdf) == len(reader(pdf).pages)


def test_page_count_refuses_what_it_cannot_read():
    with pytest.raises(ValueError, match="page tree"):
        page_count(b"%PDF-1.4 not a report")
