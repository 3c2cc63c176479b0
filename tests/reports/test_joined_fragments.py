"""The reports' Paragraph: ReportLab's, with the fragments its parser cuts at entities joined."""

import io
from itertools import groupby
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph as ReportLabParagraph
from reportlab.platypus import SimpleDocTemplate

from reports.pdf.joined_fragments import Paragraph
from reports.pdf.styles import FONT, FONT_BOLD, FONT_ITALIC, stylesheet

from .pdftext import fragments, page_texts


def _without_text(fragment) -> list:
    return sorted((key, value) for key, value in vars(fragment).items() if key != "text")


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(
        alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
        max_size=60,
    ),
    style=st.sampled_from(sorted(stylesheet())),
)
def test_escaped_user_text_is_one_fragment_with_the_parsers_text_and_style(text, style):
    # given user text escaped for markup, which ReportLab's parser cuts at every entity
    markup = escape(text)
    parsed = ReportLabParagraph(markup, stylesheet()[style])
    # when the reports' Paragraph parses it
    ours = Paragraph(markup, stylesheet()[style])
    # then it is one fragment (none for no text) with the parser's text and style
    assert "".join(f.text for f in ours.frags) == "".join(f.text for f in parsed.frags)
    assert len(ours.frags) == min(len(parsed.frags), 1)
    for fragment in parsed.frags:
        assert _without_text(ours.frags[0]) == _without_text(fragment)


def test_styles_line_breaks_and_anchors_stay_fragments_of_their_own():
    styled = Paragraph("<i>Børn &amp; Unge:</i> <b>fed</b> &amp; mager", stylesheet()["body"])
    assert [(f.text, f.fontName) for f in styled.frags] == [
        ("Børn & Unge:", FONT_ITALIC),
        (" ", FONT),
        ("fed", FONT_BOLD),
        (" & mager", FONT),
    ]
    lines = Paragraph("a<br/><br/>b &amp; c", stylesheet()["body"])
    assert [(f.text, hasattr(f, "lineBreak")) for f in lines.frags] == [
        ("a", False),
        ("", True),
        ("", True),
        ("b & c", False),
    ]
    anchored = Paragraph('<a name="here"/>Børn &amp; Unge', stylesheet()["body"])
    assert len(anchored.frags) == 2 and hasattr(anchored.frags[0], "cbDefn")
    # an entity escape() never writes is the parser's to read, even in text without tags
    spaced = Paragraph("Børn&nbsp;&amp;&#160;Unge", stylesheet()["body"])
    assert [f.text for f in spaced.frags] == ["Børn\xa0&\xa0Unge"]


def _pdf(paragraph_class, markups: list[str]) -> bytes:
    out = io.BytesIO()
    story = [paragraph_class(markup, stylesheet()["body"]) for markup in markups]
    SimpleDocTemplate(out, pagesize=A4, invariant=1, leftMargin=200, rightMargin=200).build(story)
    return out.getvalue()


def _lines(pdf: bytes) -> list[tuple[float, float, str]]:
    """Return each line drawn: its baseline, where it starts and its words."""
    found = sorted(fragments(pdf), key=lambda f: (-f.y, f.x))
    return [
        (y, pieces[0].x, " ".join(p.text for p in pieces))
        for y, group in groupby(found, key=lambda f: f.y)
        for pieces in [list(group)]
    ]


def test_a_page_reads_and_breaks_its_lines_as_with_reportlabs_paragraph():
    # given paragraphs of escaped user text and markup, long enough to wrap in a narrow column
    markups = [
        escape("”På Tværs – Børn & Unge” er et udbredelsesprojekt " * 6),
        "<b>Læs mere:</b> " + escape("Digital Sundhed Danmarks (SDS & MedCom) opgave " * 4),
        escape("a & b < c > d " * 12) + "<br/>" + escape("R&D " * 20),
    ]
    # when both Paragraphs lay them out on a page
    ours, theirs = _pdf(Paragraph, markups), _pdf(ReportLabParagraph, markups)
    # then the page reads the same, line for line, at the same places
    assert page_texts(ours) == page_texts(theirs)
    assert _lines(ours) == _lines(theirs)
    assert len(_lines(ours)) > 20
