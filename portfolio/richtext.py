"""The safe Markdown subset, parsed once and written out as escaped HTML, ReportLab or plain text.

The subset: paragraphs (separated by a blank line), **bold**, *italic*, numbered lists (``1.``),
bulleted lists (``-`` or ``*``), links ``[label](url)`` whose URL is http, https, mailto,
relative or a ``#fragment``, and ``@[Name]``, a name marked as a person's (kept in the person
register so it can be erased), shown as the bare name. Everything else, HTML included, is text
and comes out as typed.

A small hand-written parser rather than markdown-it-py: the subset is tiny, and a parser that
builds a tree of only these node types can never emit markup the writers do not expect, so every
output is balanced and escaped by construction (markdown-it-py would need most rules disabled and
its HTML renderer's output re-checked for the ReportLab dialect anyway).

Writers:
- ``to_html(source)``: escaped HTML (``<p>``, ``<strong>``, ``<em>``, ``<ol>``, ``<ul>``, ``<a>``),
  safe to ``mark_safe``.
- ``to_reportlab(source, style)``: a list of ReportLab flowables (``Paragraph`` and
  ``ListFlowable``) ready to put in a story or a table cell; ``to_reportlab_markup(source)`` gives
  one escaped paragraph-markup string per paragraph or list item for callers with their own layout.
- ``to_plain(source)``: the text without markup, lists as "1. " and "- " lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

# ---------------------------------------------------------------------------------------------
# The tree


@dataclass
class Text:
    text: str


@dataclass
class Strong:
    children: list


@dataclass
class Em:
    children: list


@dataclass
class Link:
    url: str
    children: list


@dataclass
class Para:
    inlines: list


@dataclass
class ListBlock:
    ordered: bool
    start: int
    items: list[list] = field(default_factory=list)  # each item: a list of inlines


# ---------------------------------------------------------------------------------------------
# Blocks

_ORDERED = re.compile(r"^ {0,3}(\d{1,9})[.)][ \t]+(\S.*)$")
_BULLET = re.compile(r"^ {0,3}[-*][ \t]+(\S.*)$")
# Control characters other than tab and newline have no meaning in text and some PDF and HTML
# consumers choke on them, so they are dropped before parsing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_DEPTH = 8


def _item(line: str) -> tuple[bool, int, str] | None:
    """Return (ordered, number, text) when the line starts a list item."""
    if match := _ORDERED.match(line):
        return True, int(match.group(1)), match.group(2)
    if match := _BULLET.match(line):
        return False, 1, match.group(1)
    return None


def _normalise(source: str) -> str:
    source = (source or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", source)


def parse(source: str) -> list:
    """Return the blocks (Para and ListBlock) of a rich-text source."""
    blocks: list = []
    para: list[str] = []
    current: ListBlock | None = None
    item_lines: list[str] = []

    def flush_item() -> None:
        if current is not None and item_lines:
            current.items.append(_inline(" ".join(item_lines)))
            item_lines.clear()

    def flush_para() -> None:
        if para:
            blocks.append(Para(_inline("\n".join(para))))
            para.clear()

    for raw in _normalise(source).split("\n"):
        line = raw.rstrip()
        found = _item(line)
        if found:
            ordered, number, text = found
            flush_para()
            flush_item()
            if current is None or current.ordered != ordered:
                current = ListBlock(ordered, number)
                blocks.append(current)
            item_lines.append(text.strip())
        elif not line.strip():
            # A blank line may separate items of one list; the next non-item line ends it.
            flush_para()
            flush_item()
        elif item_lines:
            item_lines.append(line.strip())  # continuation of the item (indented or lazy)
        else:
            current = None
            para.append(line.strip())
    flush_item()
    flush_para()
    return blocks


# ---------------------------------------------------------------------------------------------
# Inlines

_PUNCTUATION = set("\\`*_{}[]()#+-.!<>&\"'|~")
_MARKERS = "*[\\@"
_NEXT_MARKER = re.compile(r"[*\[\\@]")
_MARKED_NAME = re.compile(r"@\[([^\[\]\n]{1,200})\]")  # a name marked as a person's


def _inline(text: str) -> list:
    nodes, _, _ = _parse_inline(text, 0, None, 0)
    return nodes


def _can_open(text: str, i: int, width: int) -> bool:
    after = text[i + width : i + width + 1]
    return bool(after) and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    return i > 0 and not text[i - 1].isspace()


def _parse_inline(text: str, i: int, stop: str | None, depth: int) -> tuple[list, int, bool]:
    """Parse from i until the closing delimiter ``stop``; return (nodes, end, closed)."""
    nodes: list = []
    buffer: list[str] = []

    def emit(node) -> None:
        if buffer:
            nodes.append(Text("".join(buffer)))
            buffer.clear()
        nodes.append(node)

    while i < len(text):
        char = text[i]
        if char not in _MARKERS:
            # Plain text up to the next marker in one step: most text has few markers.
            found = _NEXT_MARKER.search(text, i)
            end = found.start() if found else len(text)
            buffer.append(text[i:end])
            i = end
            continue
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _PUNCTUATION:
            buffer.append(text[i + 1])
            i += 2
            continue
        if char == "*":
            width = 2 if text.startswith("**", i) else 1
            marker = "*" * width
            if stop == marker and _can_close(text, i):
                if buffer:
                    nodes.append(Text("".join(buffer)))
                return nodes, i + width, True
            if depth < _MAX_DEPTH and _can_open(text, i, width):
                inner, end, closed = _parse_inline(text, i + width, marker, depth + 1)
                if closed and inner:
                    emit(Strong(inner) if width == 2 else Em(inner))
                else:
                    # Not closed: the marker was text after all; keep what was parsed after it.
                    emit(Text(marker))
                    nodes.extend(inner)
                i = end
                continue
            buffer.append(marker)
            i += width
            continue
        if char == "@" and (marked := _MARKED_NAME.match(text, i)):
            buffer.append(marked.group(1))  # shown as the bare name (eventstore/people.py)
            i = marked.end()
            continue
        if char == "[" and depth < _MAX_DEPTH:
            link, end = _parse_link(text, i, depth)
            if link is not None:
                emit(link)
                i = end
                continue
        buffer.append(char)
        i += 1
    if buffer:
        nodes.append(Text("".join(buffer)))
    return nodes, i, False


_URL = re.compile(r"\(([^\s()<>]*)\)")


def _parse_link(text: str, i: int, depth: int) -> tuple[Link | Text | None, int]:
    """Parse ``[label](url)`` at i; a refused URL leaves the whole source as text.

    The label runs to the first "]" and holds no "[": no nested brackets, so a run of unmatched
    brackets costs one string search each instead of a re-parse of the rest of the text.
    """
    close = text.find("]", i + 1)
    if close <= i + 1 or "[" in text[i + 1 : close]:
        return None, i
    match = _URL.match(text, close + 1)
    if not match:
        return None, i
    url = match.group(1)
    if not is_safe_url(url):
        return Text(text[i : match.end()]), match.end()
    label, _, _ = _parse_inline(text[i + 1 : close], 0, None, depth + 1)
    return Link(url, label), match.end()


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
SAFE_SCHEMES = ("http", "https", "mailto")


def is_safe_url(url: str) -> bool:
    """Return whether a link may point at url: http(s), mailto, relative or a fragment."""
    if not url or any(ord(c) < 0x20 or c in "\\\x7f" for c in url):
        return False
    match = _SCHEME.match(url)
    if match:
        return match.group(1).lower() in SAFE_SCHEMES
    # No scheme: relative. A colon before the first slash would be read as a scheme by some
    # browsers after normalisation, so refuse it.
    head = url.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head


def _is_absolute(url: str) -> bool:
    match = _SCHEME.match(url)
    return bool(match) or url.startswith("//")


# ---------------------------------------------------------------------------------------------
# HTML


def _html_inlines(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(escape(node.text, quote=False))
        elif isinstance(node, Strong):
            out.append(f"<strong>{_html_inlines(node.children)}</strong>")
        elif isinstance(node, Em):
            out.append(f"<em>{_html_inlines(node.children)}</em>")
        else:
            rel = ' rel="noopener noreferrer"' if _is_absolute(node.url) else ""
            out.append(
                f'<a href="{escape(node.url, quote=True)}"{rel}>{_html_inlines(node.children)}</a>'
            )
    return "".join(out)


def to_html(source: str) -> str:
    """Return the source as escaped HTML, safe to mark_safe; empty source gives ""."""
    out = []
    for block in parse(source):
        if isinstance(block, Para):
            out.append(f"<p>{_html_inlines(block.inlines)}</p>")
            continue
        if block.ordered:
            start = f' start="{block.start}"' if block.start != 1 else ""
            out.append(f"<ol{start}>")
        else:
            out.append("<ul>")
        out.extend(f"<li>{_html_inlines(item)}</li>" for item in block.items)
        out.append("</ol>" if block.ordered else "</ul>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# ReportLab


def _rl_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _rl_inlines(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(_rl_escape(node.text))
        elif isinstance(node, Strong):
            out.append(f"<b>{_rl_inlines(node.children)}</b>")
        elif isinstance(node, Em):
            out.append(f"<i>{_rl_inlines(node.children)}</i>")
        elif _is_absolute(node.url):
            href = _rl_escape(node.url).replace('"', "&quot;")
            out.append(f'<a href="{href}" color="#1f4e79"><u>{_rl_inlines(node.children)}</u></a>')
        else:
            # A relative URL or a fragment has no base in a PDF (and ReportLab refuses a "#name"
            # that names no destination in the document), so only the label is shown.
            out.append(_rl_inlines(node.children))
    return "".join(out)


def to_reportlab_markup(source: str) -> list[tuple[str, str]]:
    """Return (kind, markup) pairs: kind is "p", "1." style numbers ("3.") or "-" for bullets.

    Each markup string is escaped ReportLab paragraph markup for one paragraph or list item.
    """
    out: list[tuple[str, str]] = []
    for block in parse(source):
        if isinstance(block, Para):
            out.append(("p", _rl_inlines(block.inlines)))
            continue
        for offset, item in enumerate(block.items):
            kind = f"{block.start + offset}." if block.ordered else "-"
            out.append((kind, _rl_inlines(item)))
    return out


def to_reportlab(source: str, style=None, bullet_style=None, paragraph=None) -> list:
    """Return ReportLab flowables: a Paragraph per paragraph, a ListFlowable per list.

    ``style`` is the ParagraphStyle for body text (BodyText of the sample sheet when None);
    ``paragraph`` the Paragraph class to use (ReportLab's when None).
    """
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import ListFlowable, ListItem
    from reportlab.platypus import Paragraph as ReportLabParagraph

    paragraph = paragraph or ReportLabParagraph
    style = style or getSampleStyleSheet()["BodyText"]
    flowables: list = []
    for block in parse(source):
        if isinstance(block, Para):
            flowables.append(paragraph(_rl_inlines(block.inlines), style))
            continue
        items = [ListItem(paragraph(_rl_inlines(item), style)) for item in block.items]
        flowables.append(
            ListFlowable(
                items,
                bulletType="1" if block.ordered else "bullet",
                start=block.start if block.ordered else "•",
                bulletFormat="%s." if block.ordered else None,
                bulletFontName=(bullet_style or style).fontName,
                bulletFontSize=style.fontSize,
                leftIndent=style.fontSize * 2,
                spaceBefore=0,
                spaceAfter=style.spaceAfter,
            )
        )
    return flowables


# ---------------------------------------------------------------------------------------------
# Plain text


def _plain_inlines(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Strong | Em):
            out.append(_plain_inlines(node.children))
        else:
            label = _plain_inlines(node.children)
            out.append(f"{label} ({node.url})" if _is_absolute(node.url) else label)
    return "".join(out)


def to_plain(source: str) -> str:
    """Return the text without markup; paragraphs separated by a blank line."""
    out = []
    for block in parse(source):
        if isinstance(block, Para):
            out.append(_plain_inlines(block.inlines))
            continue
        lines = []
        for offset, item in enumerate(block.items):
            marker = f"{block.start + offset}." if block.ordered else "-"
            lines.append(f"{marker} {_plain_inlines(item)}")
        out.append("\n".join(lines))
    return "\n\n".join(out)
