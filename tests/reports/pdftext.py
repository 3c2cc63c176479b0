"""Read a rendered PDF back the way a reader sees it: text, positions, fonts, metadata."""

import io
from dataclasses import dataclass

from pypdf import PdfReader


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """Return text with every run of whitespace made one space (lines wrap anywhere)."""
    return " ".join(text.split())


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


def all_text(data: bytes) -> str:
    return flat(" ".join(page_texts(data)))


@dataclass(frozen=True)
class Fragment:
    text: str
    x: float
    y: float


def fragments(data: bytes, page_number: int = 0) -> list[Fragment]:
    """Return each piece of text drawn on a page with its position on the page (points)."""
    found: list[Fragment] = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        found.append(Fragment(text.strip(), round(x, 1), round(y, 1)))

    reader(data).pages[page_number].extract_text(visitor_text=visit)
    return found


def find(frags: list[Fragment], text: str, nth: int = 0) -> Fragment:
    """Return the nth fragment that starts with text, top of the page first."""
    hits = sorted((f for f in frags if f.text.startswith(text)), key=lambda f: (-f.y, f.x))
    if len(hits) <= nth:
        raise AssertionError(f"{text!r} not on the page; fragments: {[f.text for f in frags]}")
    return hits[nth]


def fonts(data: bytes) -> list[dict]:
    """Return every font dictionary used by any page (descendant fonts for composite ones)."""
    out = []
    for page in reader(data).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            out.extend(d.get_object() for d in font.get("/DescendantFonts", [])) or None
            out.append(font)
    return out


@dataclass(frozen=True)
class Run:
    """A piece of text drawn on a page: position, font, size and width (points)."""

    text: str
    x: float
    y: float
    font: str
    size: float
    width: float

    @property
    def right(self) -> float:
        return self.x + self.width


def runs(data: bytes, page_number: int = 0) -> list[Run]:
    """Return each piece of text on a page with its font, size and width as ReportLab measures."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from reports.pdf.styles import register_fonts

    register_fonts()
    found: list[Run] = []

    def visit(text, cm, tm, font, size):
        if not text.strip() or font is None:
            return
        name = str(font["/BaseFont"]).split("+")[-1]
        scale = (tm[0] * cm[0]) or 1
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        actual = round(size * scale, 2)
        found.append(Run(text.strip(), x, y, name, actual, stringWidth(text.strip(), name, actual)))

    reader(data).pages[page_number].extract_text(visitor_text=visit)
    return found
