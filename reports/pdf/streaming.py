"""A portfolio report of hundreds of projects rendered without holding all of it at once: the
story made a project at a time as the build reaches it, each page numbered and compressed as it
ends (issues 15 and 20). numbered_canvas (templates.py) keeps every page's state until the end
instead, which a status page of a few pages can afford.
"""

import zlib
from collections.abc import Iterator

from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .styles import FONT, MUTED, PAGE_MARGIN
from .templates import FOOTER_SIZE

TOTAL_FORM = "pages-total"  # the form XObject that shows the number of pages


class LazyStory(list):
    """A story whose projects' flowables are made when the build comes near them, so only the
    page being laid out is in memory, not the whole report's.

    ReportLab's build takes flowables from the front of its list while len() says there are
    more; len() adds the next project's as the list runs short (a project starts on a page of
    its own, so nothing looks further ahead than that).
    """

    def __init__(self, head: list, rest: Iterator[list]):
        super().__init__(head)
        self.rest = rest

    def __len__(self) -> int:
        while super().__len__() < 2 and (more := next(self.rest, None)) is not None:
            self.extend(more)
        return super().__len__()


def _compress(page) -> None:
    """Compress a page's content now: ReportLab keeps a document's pages until it is saved and
    compresses them only then."""
    stream = PDFStream(content=zlib.compress(page.stream.encode("utf-8")))
    stream.dictionary["Filter"] = PDFArray([PDFName("FlateDecode")])
    stream.__Comment__ = "page stream"
    page.Contents, page.stream = stream, None


def streaming_numbered_canvas(page_label: str):
    """Return a Canvas class that writes page_label ("Side {page} af {pages}") on every page
    as the page ends, the total as a form drawn on each and made once the total is known.

    A page is finished and compressed when it ends; numbered_canvas keeps a copy of every
    page's state, uncompressed, until save(), which a report of hundreds of projects cannot
    afford.
    """
    before, _, after = page_label.partition("{pages}")

    class StreamingNumberedCanvas(Canvas):
        def showPage(self):
            footer = getattr(self, "footer_left", "")
            line = " · ".join(filter(None, (footer, before.format(page=self.getPageNumber()))))
            self.setFont(FONT, FOOTER_SIZE)
            self.setFillColor(MUTED)
            self.drawString(PAGE_MARGIN, PAGE_MARGIN * 0.55, line)
            self.saveState()
            self.translate(PAGE_MARGIN + stringWidth(line, FONT, FOOTER_SIZE), PAGE_MARGIN * 0.55)
            self.doForm(TOTAL_FORM)
            self.restoreState()
            super().showPage()
            _compress(self._doc.Pages.pages[-1])

        def save(self):
            self.beginForm(TOTAL_FORM)
            self.setFont(FONT, FOOTER_SIZE)
            self.setFillColor(MUTED)
            self.drawString(0, 0, f"{self.getPageNumber() - 1}{after}")
            self.endForm()
            super().save()

    return StreamingNumberedCanvas
