"""The safe Markdown subset: what a reader sees in HTML, in the PDF and as plain text."""

import html
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from portfolio.richtext import is_safe_url, to_html, to_plain, to_reportlab, to_reportlab_markup

SEED_PURPOSE = """Projektet er delt i to hovedspor:

1. skalering af datadeling på tværs af myndigheder
2. undersøge og vurdere muligheden for at udstille flere relevante data

Digital Sundhed Danmarks (SDS & MedCom) opgave. Opmærksomhedsområder er:

- Ambitionsniveau for anvendelse af strukturerede data
- Sikring af adgang for sundhedsfagligt personale i regioner og lægepraksis"""

# The only tags to_html ever writes; anything else with "<" in the output is a leak.
OUR_TAGS = re.compile(
    r'</?(?:p|strong|em|ul|li)>|<ol(?: start="\d+")?>|</ol>'
    r'|<a href="[^"<>]*"(?: rel="noopener noreferrer")?>|</a>'
)
BODY = getSampleStyleSheet()["BodyText"]


def test_paragraphs_lists_bold_italic_and_links_become_html():
    # when
    out = to_html(SEED_PURPOSE + "\n\n**Læs mere:** [På tværs](https://kl.dk/a?x=1&y=2) *nu*")
    # then
    assert out.count("<p>") == 3
    assert "<ol>\n<li>skalering af datadeling på tværs af myndigheder</li>" in out
    assert "<ul>\n<li>Ambitionsniveau" in out
    assert "(SDS &amp; MedCom)" in out
    assert (
        '<strong>Læs mere:</strong> <a href="https://kl.dk/a?x=1&amp;y=2" '
        'rel="noopener noreferrer">På tværs</a> <em>nu</em>'
    ) in out


def test_user_typed_markup_comes_out_as_the_text_typed():
    typed = '<script>alert(1)</script> & <b>fed</b> &amp; "citat"'
    assert to_html(typed) == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fed&lt;/b&gt; &amp;amp; "
        '"citat"</p>'
    )
    assert to_plain(typed) == typed
    [(kind, markup)] = to_reportlab_markup(typed)
    assert kind == "p"
    assert markup == (
        '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fed&lt;/b&gt; &amp;amp; "citat"'
    )
    # ReportLab reads the markup back to exactly what was typed.
    assert _paragraph_text(Paragraph(markup, BODY)) == typed


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "file:///etc/passwd",
        "java\\script:x",
    ],
)
def test_links_with_unsafe_schemes_stay_text(url):
    source = f"[klik]({url})"
    assert not is_safe_url(url)
    assert "<a" not in to_html(source)
    assert to_plain(source) == source
    assert "<a" not in to_reportlab_markup(source)[0][1]


@pytest.mark.parametrize(
    "url", ["https://medcom.dk", "http://x.dk/a(b", "mailto:a@b.dk", "/projekter/x", "#", "?q=1"]
)
def test_safe_urls_are_links(url):
    if "(" in url:
        assert "<a" not in to_html(f"[x]({url})")  # parentheses end the URL, no link
        return
    assert is_safe_url(url)
    assert to_html(f"[x]({url})").startswith('<p><a href="')


def test_relative_links_show_only_their_label_in_the_pdf():
    # A fragment has no target in a PDF, and ReportLab refuses unknown "#name" destinations.
    [(_, markup)] = to_reportlab_markup("[På tværs – Børn & Unge](#) (KL's hjemmeside)")
    assert markup == "På tværs – Børn &amp; Unge (KL's hjemmeside)"


def test_reportlab_markup_keeps_list_numbers_and_bullets():
    pairs = to_reportlab_markup(SEED_PURPOSE)
    assert [kind for kind, _ in pairs] == ["p", "1.", "2.", "p", "-", "-"]
    assert pairs[3][1].startswith("Digital Sundhed Danmarks (SDS &amp; MedCom)")


def test_ordered_list_keeps_its_start_number():
    assert to_html("3. tre\n4. fire").startswith('<ol start="3">')
    assert to_plain("3. tre\n4. fire") == "3. tre\n4. fire"


def test_reportlab_flowables_are_paragraphs_and_lists():
    flowables = to_reportlab(SEED_PURPOSE, BODY)
    assert [type(f).__name__ for f in flowables] == [
        "Paragraph",
        "ListFlowable",
        "Paragraph",
        "ListFlowable",
    ]
    _build(flowables)


def test_plain_text_drops_markup_and_keeps_lists():
    assert to_plain("**Dato:** *24. april 2026*\n\n- a\n- b\n\n1. c") == (
        "Dato: 24. april 2026\n\n- a\n- b\n\n1. c"
    )
    assert to_plain("[MedCom](https://medcom.dk)") == "MedCom (https://medcom.dk)"


def test_emphasis_needs_text_next_to_its_markers():
    assert to_html("2 * 3 * 4") == "<p>2 * 3 * 4</p>"
    assert to_html("**ikke lukket") == "<p>**ikke lukket</p>"
    assert to_html(r"\*ikke kursiv\*") == "<p>*ikke kursiv*</p>"


def test_continuation_lines_join_their_item_and_a_blank_line_ends_the_list():
    assert to_html("- en\n  to\n- tre\n\nbagefter") == (
        "<ul>\n<li>en to</li>\n<li>tre</li>\n</ul>\n<p>bagefter</p>"
    )


def test_empty_source_gives_nothing():
    assert to_html("") == ""
    assert to_html(None) == ""
    assert to_reportlab("  \n\n ") == []
    assert to_plain("") == ""


def test_pathological_brackets_and_stars_stay_fast():
    import time

    source = "[" * 20000 + "*a " * 5000 + "](x"
    started = time.perf_counter()
    to_html(source)
    assert time.perf_counter() - started < 2


def _build(flowables: list) -> bytes:
    """Lay the flowables out in a real document, as the reports do."""
    out = io.BytesIO()
    SimpleDocTemplate(out).build(flowables)
    return out.getvalue()


def _paragraph_text(paragraph: Paragraph) -> str:
    return "".join(frag.text for frag in paragraph.frags)


# Text biased towards the characters that matter: markup, entities, Markdown markers.
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(list("<>&\"';*[]()_\\-#.1 \n\t/:")),
        st.sampled_from(["<b>", "</b>", "<script>", "&amp;", "&#x3c;", "javascript:", "<a href="]),
        st.sampled_from(["**", "\n\n", "\n- ", "\n1. ", "[x](", "https://a.dk", "](#)"]),
        st.characters(),
    ),
    max_size=80,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_html_never_contains_a_tag_the_writer_did_not_make(source):
    out = to_html(source)
    leftover = OUR_TAGS.sub("", out)
    assert "<" not in leftover
    assert ">" not in leftover
    for href in re.findall(r'<a href="([^"]*)"', out):
        assert is_safe_url(html.unescape(href))


@settings(max_examples=400, deadline=None)
@given(HOSTILE)
def test_reportlab_parses_every_output(source):
    for _, markup in to_reportlab_markup(source):
        paragraph = Paragraph(markup, BODY)  # raises ValueError on broken markup
        paragraph.wrap(300, 10_000)
    _build(to_reportlab(source, BODY))


PLAIN_WORDS = st.text(
    alphabet=st.characters(blacklist_characters="*[]\\\r", blacklist_categories=("Cc", "Cs")),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip() and not re.match(r"^\s*(\d+[.)]|[-*])\s", t))


@settings(max_examples=300, deadline=None)
@given(PLAIN_WORDS)
def test_text_without_markers_survives_every_writer(source):
    expected = " ".join(source.split())
    assert " ".join(to_plain(source).split()) == expected
    assert " ".join(html.unescape(re.sub(r"</?p>", "", to_html(source))).split()) == expected
    [(_, markup)] = to_reportlab_markup(source)
    assert " ".join(_paragraph_text(Paragraph(markup, BODY)).split()) == expected


def test_a_name_marked_as_a_persons_shows_as_the_bare_name_everywhere():
    source = "Ledes af @[Anne Hansen] (anne@example.org), *@[Bo]*"

    assert to_html(source) == ("<p>Ledes af Anne Hansen (anne@example.org), <em>Bo</em></p>")
    assert to_plain(source) == "Ledes af Anne Hansen (anne@example.org), Bo"
