"""The report's Paragraph: plain text skips ReportLab's markup parser and must not notice."""

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph as ReportLabParagraph

from reports.pdf.flowables import Paragraph
from reports.pdf.styles import stylesheet

PLAIN = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&"), max_size=60
) | st.sampled_from(["", " ", "  Børn  og\n unge ", "\t-\xa0–\r\n", "a\u2028b", "01.12.2026"])


def _fragments(paragraph) -> list:
    return [sorted(vars(fragment).items()) for fragment in paragraph.frags]


@settings(max_examples=200, deadline=None)
@given(text=PLAIN, style=st.sampled_from(sorted(stylesheet())))
def test_plain_text_gives_the_fragments_reportlab_would_parse(text, style):
    ours = Paragraph(text, stylesheet()[style])
    parsed = ReportLabParagraph(text, stylesheet()[style])
    assert _fragments(ours) == _fragments(parsed)
    assert ours.text == parsed.text


def test_markup_still_goes_through_the_parser():
    ours = Paragraph("<b>fed</b> &amp; mager", stylesheet()["body"])
    assert [f.text for f in ours.frags] == ["fed", " ", "&", " mager"]
    assert ours.frags[0].fontName == "DejaVuSans-Bold"
