"""Playwright helpers for the browser tests: Debian's Chromium, screenshots and axe-core."""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("PORTEFOLJE_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
# Flags that keep Debian's Chromium quiet and offline inside a container. Playwright's launch()
# already gives every browser a fresh temporary profile (it refuses --user-data-dir).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing(path: Path, why: str) -> None:
    """Skip when a browser-test dependency is missing, but fail in CI where it must be there."""
    if path.exists():
        return
    message = f"{path} is missing ({why}); `make test` installs it (.ci/browser-deps)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot into test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[dict]:
    """Inject axe-core into the page and return its violations (WCAG 2.1 A/AA and best practice)."""
    missing(AXE, "npm package axe-core")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                'best-practice']},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary),
            }));
        }"""
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in violations
    )


def assert_accessible(page, name: str) -> None:
    """Keep a screenshot of the page and fail on any axe violation, listed."""
    screenshot(page, name)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
