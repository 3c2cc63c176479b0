"""Compile the translations (.po to .mo) in pure Python: `python -m portfolio.web.messages`.

The compiled .mo files are committed, so neither CI nor `make run` needs GNU gettext installed;
tests/web/test_locale.py fails when a .mo is stale or a message is untranslated.
"""

from pathlib import Path

import polib

# Each app keeps its own catalogue (portfolio/locale, reports/locale).
APPS = Path(__file__).resolve().parents[2]


def po_files() -> list[Path]:
    return sorted(APPS.glob("*/locale/*/LC_MESSAGES/django.po"))


def compile_all() -> list[Path]:
    """Write each catalogue's .mo beside its .po; return the .mo paths."""
    written = []
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(path)  # noqa: T201
