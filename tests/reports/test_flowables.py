"""The report's Paragraph and font take shortcuts through ReportLab that must not show."""

from xml.sax.saxutils import escape

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


def _without_text(fragment) -> list:
    return sorted((k, v) for k, v in vars(fragment).items() if k != "text")


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    style=st.sampled_from(sorted(stylesheet())),
)
def test_escaped_text_is_one_fragment_as_the_parser_styles_it(text, style):
    # given user text escaped for markup: ours skips the parser, which cuts it at every entity
    markup = escape(text)
    ours = Paragraph(markup, stylesheet()[style])
    parsed = ReportLabParagraph(markup, stylesheet()[style])
    # then ours is one fragment with the parser's text and every other attribute alike
    assert ours.text == parsed.text
    assert "".join(f.text for f in ours.frags) == "".join(f.text for f in parsed.frags)
    assert len(ours.frags) == min(len(parsed.frags), 1)
    for fragment in parsed.frags:
        assert _without_text(ours.frags[0]) == _without_text(fragment)


def test_mixed_styles_keep_the_parsers_fragments():
    markup = "<i>Børn &amp; Unge:</i> <b>fed</b>"
    ours = Paragraph(markup, stylesheet()["body"])
    assert _fragments(ours) == _fragments(ReportLabParagraph(markup, stylesheet()["body"]))
    whole = Paragraph("<b>Børn &amp; Unge</b>", stylesheet()["body"])
    assert [(f.text, f.fontName) for f in whole.frags] == [("Børn & Unge", "DejaVuSans-Bold")]
