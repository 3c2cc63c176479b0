"""Status pages as MedCom publishes them, read into the record (import_status_page)."""

from pathlib import Path

from . import html, markdown
from .page import Page


def read_page(path: Path) -> Page:
    """Return what the page in the file says: Markdown as in shared/seed/, or the website's HTML.

    Raise markdown.Unreadable naming the lines it cannot place.
    """
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".html", ".htm") or text.lstrip().startswith("<"):
        text = html.as_markdown(text)
    return markdown.parse(text)
