"""Fonts, colours and paragraph styles of the reports."""

from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from risks.rules import UNASSESSED, score_band

# DejaVu Sans Condensed (Bitstream Vera licence, see fonts/LICENSE) is committed with the code:
# it covers Danish and the other European alphabets, and ReportLab embeds a subset of it in every
# PDF, so no machine needs system font packages and no font is referenced by name only. The
# condensed cut lets 9 pt body text hold a published one-page status page on one A4 page.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSansCondensed"
FONT_BOLD = "DejaVuSansCondensed-Bold"
FONT_ITALIC = "DejaVuSansCondensed-Oblique"
FONT_BOLD_ITALIC = "DejaVuSansCondensed-BoldOblique"

PAGE_MARGIN = 10 * mm
BODY_SIZE = 9  # the smallest size of anything a reader reads as text (axis labels excepted)
FACT_LABEL_WIDTH = 26 * mm  # the label column of the facts (Dato, Projektleder, ...)
INK = colors.HexColor("#1b1b1b")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#b0b7bf")
HEADER_FILL = colors.HexColor("#e3e9ef")
AREA_FILL = colors.HexColor("#f3f5f8")
OVERDUE_FILL = colors.HexColor("#fbe3e3")
OVERDUE_INK = colors.HexColor("#b3261e")
ACCENT = colors.HexColor("#1f4e79")

# Badge fill and text colour per rating; yellow takes dark text to stay readable.
RATING_COLOURS = {
    "green": (colors.HexColor("#2e7d32"), colors.white),
    "yellow": (colors.HexColor("#f2c200"), INK),
    "red": (colors.HexColor("#c62828"), colors.white),
    "not_started": (colors.HexColor("#607d8b"), colors.white),
    "finished": (colors.HexColor("#1565c0"), colors.white),
    None: (colors.HexColor("#d5d8dc"), INK),
}

# The fill and the text colour on it of each risk score band (risks.rules.score_band).
RISK_COLOURS = {
    "high": (colors.HexColor("#c62828"), colors.white),
    "raised": (colors.HexColor("#ef6c00"), INK),
    "medium": (colors.HexColor("#f2c200"), INK),
    "low": (colors.HexColor("#2e7d32"), colors.white),
    UNASSESSED: RATING_COLOURS[None],
}


def risk_band(score: int | None) -> tuple:
    """Return (fill, ink) for a risk score; grey when the risk is not assessed."""
    return RISK_COLOURS[score_band(score)]


@cache
def register_fonts() -> str:
    """Register the DejaVu Sans family once per process; return its family name."""
    for name, filename in (
        (FONT, "DejaVuSansCondensed.ttf"),
        (FONT_BOLD, "DejaVuSansCondensed-Bold.ttf"),
        (FONT_ITALIC, "DejaVuSansCondensed-Oblique.ttf"),
        (FONT_BOLD_ITALIC, "DejaVuSansCondensed-BoldOblique.ttf"),
    ):
        # asciiReadable=0: embed only the glyphs a page uses. ReportLab's default puts all of
        # ASCII into every font's subset so the content stream reads as text in an editor, which
        # makes every subset, and so every PDF, larger and slower to write.
        # Readers and text extraction go by the ToUnicode map either way.
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename), asciiReadable=0))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
    )
    return FONT


def _style(name: str, **overrides) -> ParagraphStyle:
    base = {
        "fontName": FONT,
        "fontSize": BODY_SIZE,
        "leading": 10,
        "textColor": INK,
        "alignment": TA_LEFT,
        "spaceAfter": 1,
        # Long unbroken words (URLs, hostile input) are split rather than run off the page.
        "splitLongWords": 1,
    }
    base.update(overrides)
    return ParagraphStyle(name, **base)


@cache
def stylesheet() -> dict[str, ParagraphStyle]:
    """Return the named paragraph styles used by every report."""
    register_fonts()
    return {
        "body": _style("body"),
        "area": _style("area", fontName=FONT_BOLD, fontSize=9.5, leading=11.5, textColor=ACCENT),
        "title": _style("title", fontName=FONT_BOLD, fontSize=14, leading=16.5, spaceAfter=3),
        # keepWithNext: a heading never ends a page without what it introduces.
        "h2": _style(
            "h2",
            fontName=FONT_BOLD,
            fontSize=11,
            leading=13,
            spaceBefore=3,
            spaceAfter=1,
            textColor=ACCENT,
            keepWithNext=1,
        ),
        "h3": _style("h3", fontName=FONT_BOLD, leading=10, spaceBefore=1, keepWithNext=1),
        "h3_loose": _style("h3_loose", fontName=FONT_BOLD, leading=10, spaceBefore=1),
        "fact": _style("fact", spaceAfter=0.5),
        "fact_value": _style(
            "fact_value",
            spaceAfter=0.5,
            leftIndent=FACT_LABEL_WIDTH,
            bulletIndent=0,
            bulletFontName=FONT_BOLD,
            bulletFontSize=BODY_SIZE,
        ),
        "fact_muted": _style(
            "fact_muted",
            spaceAfter=0.5,
            leftIndent=FACT_LABEL_WIDTH,
            bulletIndent=0,
            bulletFontName=FONT_BOLD,
            bulletFontSize=BODY_SIZE,
            textColor=MUTED,
        ),
        "muted": _style("muted", textColor=MUTED),
        "cell": _style("cell", leading=10, spaceAfter=0),
        "cell_head": _style("cell_head", fontName=FONT_BOLD, leading=10, spaceAfter=0),
        "cell_overdue": _style(
            "cell_overdue", fontName=FONT_BOLD, leading=10, textColor=OVERDUE_INK
        ),
        "cover_title": _style("cover_title", fontName=FONT_BOLD, fontSize=24, leading=30),
        "cover_line": _style("cover_line", fontSize=13, leading=18, textColor=MUTED),
    }
