"""The web process starts without the PDF libraries, Celery, the Redis client, the schema views,
cryptography or the JSON log formatter: only rendering a report, sending a task, asking for the
schema, signing a head or logging JSON loads them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = (
    "reportlab",
    "pypdf",
    "PIL",
    "celery",
    "kombu",
    "redis",
    "drf_spectacular.views",
    "cryptography",
    "pythonjsonlogger",
)

SCRIPT = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # the URL configuration and every view module it names
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def test_importing_the_url_configuration_loads_no_heavy_library():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portfolio.settings",
        "PORTEFOLJE_LOG_FORMAT": "text",
    }
    run = subprocess.run(  # noqa: S603 - our interpreter, a fixed script
        [sys.executable, "-c", SCRIPT.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == []
