"""No English on a Danish page: every page a person reaches from the overview, read in Danish,
holds none of the English texts the app's catalogues translate."""

import re
from html import unescape
from urllib.parse import urldefrag, urlsplit

import polib
import pytest
from django.contrib.auth.models import User

from portfolio.web import messages

from . import demo

pytestmark = pytest.mark.django_db

# Placeholders in a message: %(name)s, %s, %d, {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
# Links that leave the pages, change something, or are not HTML.
NOT_CRAWLED = re.compile(r"^/(admin|api|i18n|logout|health|metrics|static)|/download/|/html/")


def english_texts() -> set[str]:
    """Return every English text the catalogues translate into something else: each message's
    literal parts between placeholders, of at least four letters (shorter ones, such as "of",
    are Danish words too)."""
    texts = set()
    for path in messages.po_files():
        for entry in polib.pofile(str(path)):
            translated = [entry.msgstr, *entry.msgstr_plural.values()]
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                if msgid in translated or entry.obsolete:
                    continue
                for part in PLACEHOLDER.split(msgid):
                    part = part.strip(" .,:;()–-·\n")
                    if len(re.sub(r"\W", "", part)) >= 4 and part not in translated:
                        texts.add(part)
    return texts


def visible(html: str) -> str:
    """Return what a reader sees or hears: the text, and labels in attributes, blanks collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    labels = re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', html)
    words = " ".join([re.sub(r"<[^>]+>", " ", html), *labels])
    return unescape(re.sub(r"\s+", " ", words))


def english_in(text: str, texts: set[str]) -> list[str]:
    return sorted(t for t in texts if re.search(rf"(?<!\w){re.escape(t)}(?!\w)", text))


def crawl(client, starts: list[str], limit: int = 150) -> dict[str, str]:
    """Return the HTML of each page reachable from `starts` by following links, by URL."""
    pages, queue = {}, list(starts)
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        pages[url] = html = response.content.decode()
        for href in re.findall(r'<a [^>]*href="(/[^"]*)"', html):
            href = urldefrag(unescape(href))[0]
            if not NOT_CRAWLED.search(urlsplit(href).path) and href not in pages:
                queue.append(href)
    return pages


@pytest.fixture
def loaded(db, pinned_today):
    demo.load()


def test_no_danish_page_shows_an_english_text(client, loaded):
    # given: the administrator, who sees every form
    client.force_login(User.objects.get(username="admin"))
    texts = english_texts()
    assert {"Biggest risk", "green", "closed"} <= texts

    # when: reading every page reachable from the overview in Danish, and the pages a form
    # leads to: a comparison, the project as of a day, the history filtered
    pages = crawl(
        client,
        [
            "/",
            f"/projects/{demo.EXAMPLE}/compare/?from=2025-10-01&to=2026-06-04",
            f"/projects/{demo.SEED}/?as_of=2026-05-01",
            f"/projects/{demo.EXAMPLE}/history/?kind=replanned",
            "/?rating=red",
        ],
    )

    # then
    assert len(pages) > 20 and any("/history/" in url for url in pages)
    found = {url: english_in(visible(html), texts) for url, html in pages.items()}
    assert {url: words for url, words in found.items() if words} == {}


def test_the_same_check_finds_the_english_page_english(client, loaded):
    # The check above could pass by finding nothing anywhere: the English page must fail it.
    client.force_login(User.objects.get(username="admin"))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    html = client.get(f"/projects/{demo.SEED}/").content.decode()

    assert {"Biggest risk", "Risk register"} <= set(english_in(visible(html), english_texts()))
