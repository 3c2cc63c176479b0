"""The website's HTML of a status page, as the Markdown the reader takes (markdown.py).

Only what a status page uses: headings, paragraphs, bold and italic, links, lists, line
breaks and the milestone table (a row's cells become tab-separated). Scripts, styles and
images are dropped; so is everything outside the page's main content, when it has one
(<main> or <article>).
"""

import re
from html.parser import HTMLParser

_DROPPED = {"script", "style", "noscript", "nav", "header", "footer", "template"}
_BLOCKS = {"p", "div", "section", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol"}


class _Lines(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line = ""
        self.dropped = 0
        self.links: list[str] = []
        self.lists: list[list] = []  # per open list: [ordered, count]
        self.cells: list[str] | None = None

    def _end_block(self) -> None:
        if self.line.strip():
            self.lines.append(self.line.strip())
        self.line = ""
        self.lines.append("")

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.dropped += 1
        if self.dropped:
            return
        if tag in _BLOCKS and tag not in ("td", "th") and self.cells is None:
            self._end_block()
        if tag in ("h1", "h2", "h3", "h4"):
            self.line = "#" * int(tag[1]) + " "
        elif tag in ("strong", "b"):
            self.line += "**"
        elif tag in ("em", "i"):
            self.line += "*"
        elif tag == "a":
            self.line += "["
            self.links.append(dict(attrs).get("href") or "")
        elif tag == "br":
            self.lines.append(self.line.strip())
            self.line = ""
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            ordered, count = self.lists[-1]
            self.line = f"{count}. " if ordered else "- "
        elif tag == "tr":
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.line = ""

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.dropped = max(0, self.dropped - 1)
            return
        if self.dropped:
            return
        if tag in ("strong", "b"):
            self.line += "**"
        elif tag in ("em", "i"):
            self.line += "*"
        elif tag == "a" and self.links:
            self.line += f"]({self.links.pop()})"
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append(self.line.strip())
            self.line = ""
        elif tag == "tr" and self.cells is not None:
            self.lines.extend(["\t".join(self.cells), ""])
            self.cells = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._end_block()
        elif tag in _BLOCKS:
            if tag == "li":  # list items stay together, as in Markdown
                self.lines.append(self.line.strip())
                self.line = ""
            else:
                self._end_block()

    def handle_data(self, data):
        if not self.dropped:
            self.line += re.sub(r"\s+", " ", data)


def as_markdown(text: str) -> str:
    """Return the page's HTML as Markdown lines for markdown.parse."""
    lower = text.lower()
    for tag in ("main", "article"):
        start = lower.find(f"<{tag}")
        end = lower.rfind(f"</{tag}>")
        if start != -1 and end > start:
            text = text[start : end + len(tag) + 3]
            break
    parser = _Lines()
    parser.feed(text)
    parser.close()
    parser._end_block()
    return "\n".join(parser.lines)
