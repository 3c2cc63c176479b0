"""The reports' Paragraph: ReportLab's own, its parsed text joined where the parser cut it.

ReportLab's markup parser ends a fragment at every entity, so escaped user text such as
"Børn &amp; Unge" becomes three fragments ("Børn ", "&", " Unge") in one style. ReportLab
breaks a paragraph of one fragment line by line, but one of several word by word, comparing
the style of every word, and draws it word by word too. Joining neighbours that differ in
nothing but their text gives the parser's own result in as few fragments as it has styles;
parsing, line breaking and drawing stay ReportLab's.
"""

from reportlab.platypus import Paragraph as ReportLabParagraph

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


class Paragraph(WrappedOnce, ReportLabParagraph):
    """ReportLab's Paragraph with its parsed fragments joined (see the module's docstring), its
    lines broken once per width (wrapped_once).

    A paragraph given its fragments (ReportLab's split() makes the rest of a paragraph that
    runs onto the next page so) keeps them as given.
    """

    def __init__(self, text, style=None, bulletText=None, frags=None, **kwargs):
        super().__init__(text, style, bulletText, frags, **kwargs)
        if frags is None:
            self.frags = joined(self.frags)
