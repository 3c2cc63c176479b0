"""The reports' Paragraph: ReportLab's own, its parsed text joined where the parser cut it.

ReportLab's markup parser ends a fragment at every entity, so escaped user text such as
"Børn &amp; Unge" becomes three fragments ("Børn ", "&", " Unge") in one style. ReportLab
breaks a paragraph of one fragment line by line, but one of several word by word, comparing
the style of every word, and draws it word by word too. Joining neighbours that differ in
nothing but their text gives the parser's own result in as few fragments as it has styles;
parsing, line breaking and drawing stay ReportLab's.

Text without tags (most of a page: escaped user text, headings, table cells) joins into one
fragment in the paragraph's style, so it is made as one without parsing: the fragment the
parser makes of a letter in that style, with the text in its place.
"""

from functools import lru_cache
from xml.sax.saxutils import unescape

from reportlab.platypus import Paragraph as ReportLabParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags

from .wrapped_once import WrappedOnce


def _joinable(fragment) -> bool:
    # A line break (<br/>) or an inline object (cbDefn: an anchor, an image) stands alone.
    return not ({"lineBreak", "cbDefn"} & vars(fragment).keys())


def _style(fragment) -> dict:
    return {key: value for key, value in vars(fragment).items() if key != "text"}


def joined(fragments: list) -> list:
    """Return the fragments with each run of neighbours alike but for their text as one."""
    out: list = []
    for fragment in fragments:
        previous = out[-1] if out else None
        if (
            previous is not None
            and _joinable(previous)
            and _joinable(fragment)
            and _style(previous) == _style(fragment)
        ):
            out[-1] = previous.clone(text=previous.text + fragment.text)
        else:
            out.append(fragment)
    return out


def _plain_text(markup: str) -> str | None:
    """Return the text of markup without tags whose only entities are those escape() writes
    (&amp;, &lt;, &gt;); None for any other markup."""
    bare = markup.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "")
    if "<" in markup or "&" in bare:
        return None
    return unescape(markup)


@lru_cache(maxsize=64)
def _fragment(style):
    # Keyed by the style object itself: the reports' styles are made once (styles.stylesheet).
    return ReportLabParagraph("x", style).frags[0]


def _plain_fragments(text: str, style) -> list | None:
    """Return the one fragment ReportLab's parser and joined() make of cleaned text without
    tags; None when the text has tags or other entities, or is empty (no fragment at all)."""
    plain = _plain_text(text)
    if not plain:
        return None
    fragments = [_fragment(style).clone(text=plain)]
    textTransformFrags(fragments, style)
    return fragments


class Paragraph(WrappedOnce, ReportLabParagraph):
    """ReportLab's Paragraph with its parsed fragments joined (see the module's docstring), its
    lines broken once per width (wrapped_once).

    A paragraph given its fragments (ReportLab's split() makes the rest of a paragraph that
    runs onto the next page so) keeps them as given.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        if frags is None and style is not None:
            # ReportLab cleans the text (lines and runs of spaces to one space) before parsing.
            text = cleanBlockQuotedText(text)
            if plain := _plain_fragments(text, style):
                super().__init__(text, style, bulletText, plain, **kwargs)
                return
        super().__init__(text, style, bulletText, frags, **kwargs)
        if frags is None:
            self.frags = joined(self.frags)
