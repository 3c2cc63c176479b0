"""The comparison of two dates in Chromium: rich text as on the project page, whole words."""

import pytest
from playwright.sync_api import expect

from . import demo
from .browser import axe_violations, describe, screenshot
from .conftest import log_in

pytestmark = pytest.mark.browser

# Every run of non-blank characters in the compare table whose parts sit on different lines.
SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(
    document.querySelector("table.compare"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size > 1) split.push(match[0]);
    }
  }
  return split;
}"""


@pytest.fixture
def portfolio(transactional_db):
    demo.load()


@pytest.mark.parametrize("width", [1280, 390])
def test_compare_shows_rich_text_and_breaks_no_word(page, portfolio, width):
    # given
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, demo.READER, demo.PASSWORDS[demo.READER])

    # when
    page.goto(f"/projects/{demo.EXAMPLE}/compare/?from=2026-04-30&to=2026-06-04")

    # then: the purpose's bold and list are markup, not asterisks and dashes
    purpose = page.get_by_role("row", name="Formål")
    expect(purpose.locator("strong").first).to_have_text("eksempel")
    expect(purpose.locator("li").first).to_have_text("status over tid")
    expect(page.locator("table.compare")).not_to_contain_text("**")
    assert page.evaluate(SPLIT_WORDS) == []
    screenshot(page, f"compare-{width}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
