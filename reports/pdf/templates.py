"""The page template: frame, header, footer "Status pr. <date> · Side x af y" and check code."""

from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from .styles import FONT, MUTED, PAGE_MARGIN, RULE, register_fonts

HEADER_SIZE = 7
FOOTER_SIZE = 7.5
CHECK_CODE_SIZE = 6


@dataclass(frozen=True)
class PageInfo:
    """What the header and footer of the pages after a SectionStart show."""

    header_left: str
    header_right: str
    footer_left: str


class SectionStart(Flowable):
    """Mark where a status page begins, so its pages carry its header and footer.

    It takes no space; the doc template reads it in afterFlowable, before the page ends, so even
    the page it starts on is decorated with the new section's text.
    """

    def __init__(self, info: PageInfo):
        super().__init__()
        self.info = info

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        pass


def numbered_canvas(page_label: str):
    """Return a Canvas class that writes page_label ("Side {page} af {pages}") on every page.

    The total is known only at the end, so pages are kept until save() and numbered then; this
    is one pass instead of laying the whole document out twice.
    """

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []
            self._marks = []  # (page index, bookmark key): set when that page is written

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def bookmarkPage(self, key, **options):
            # A page is written only in save(); a bookmark made now would point at the first.
            self._marks.append((len(self._pages), key, options))

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                text = page_label.format(page=number, pages=total)
                footer = getattr(self, "footer_left", "")
                self.setFont(FONT, FOOTER_SIZE)
                self.setFillColor(MUTED)
                line = " · ".join(filter(None, (footer, text)))
                self.drawString(PAGE_MARGIN, PAGE_MARGIN * 0.55, line)
                for page, key, options in self._marks:
                    if page == number - 1:
                        super().bookmarkPage(key, **options)
                super().showPage()
            super().save()

    return NumberedCanvas


def _fit(text: str, width: float, size: float) -> str:
    """Return text cut with an ellipsis to fit width, so a long title never overprints."""
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


class ReportDocTemplate(BaseDocTemplate):
    """A4 portrait, one frame, header and footer drawn when each page ends."""

    def __init__(self, out, *, info: PageInfo, check_code: str, created: datetime, **meta):
        register_fonts()
        super().__init__(
            out,
            pagesize=A4,
            leftMargin=PAGE_MARGIN,
            rightMargin=PAGE_MARGIN,
            topMargin=PAGE_MARGIN + 2,
            bottomMargin=PAGE_MARGIN + 2,
            # invariant: no wall-clock time or random id in the file; the same input gives the
            # same bytes. pageCompression: Flate-compressed page contents whatever rl_config's
            # default says. initialFontName: the page preamble would otherwise name Helvetica,
            # a font that is not embedded.
            invariant=1,
            pageCompression=1,
            initialFontName=FONT,
            displayDocTitle=1,
            **meta,
        )
        self.info = info
        self.check_code = check_code
        self.created = created
        # No padding: the frame is the text column, so a table as wide as the column stays in it.
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            showBoundary=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=self._decorate)])

    def afterFlowable(self, flowable):
        if isinstance(flowable, SectionStart):
            self.info = flowable.info

    def _decorate(self, canvas, doc):
        """Draw the header (area, title) and the check code; the footer's text comes at save."""
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        canvas.saveState()
        canvas.setFont(FONT, HEADER_SIZE)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        top = height - PAGE_MARGIN * 0.7
        header_right = _fit(self.info.header_right, (right - left) * 0.6, HEADER_SIZE)
        canvas.drawRightString(right, top, header_right)
        header_left_width = (right - left) - stringWidth(header_right, FONT, HEADER_SIZE) - 12
        canvas.drawString(left, top, _fit(self.info.header_left, header_left_width, HEADER_SIZE))
        canvas.line(left, top - 3, right, top - 3)
        bottom = PAGE_MARGIN * 0.55
        canvas.line(left, bottom + 9, right, bottom + 9)
        canvas.setFont(FONT, CHECK_CODE_SIZE)
        canvas.drawRightString(right, bottom, self.check_code)
        canvas.restoreState()
        # Read by NumberedCanvas.save, which adds "Side x af y" once the total is known.
        canvas.footer_left = _fit(self.info.footer_left, (right - left) * 0.55, FOOTER_SIZE)

    def beforeDocument(self):
        # The PDF's creation and modification dates are the snapshot's as-of time, not the
        # clock, so that a re-render of an archived report has the same bytes.
        stamp = self.created.strftime("D:%Y%m%d%H%M%SZ")
        self.canv.setDateFormatter(lambda *_: stamp)
