"""The web process and `manage.py check` start without the PDF libraries, Celery, the Redis
client, the schema views and generator (which bring django.test and Jinja2), cryptography or the
JSON log formatter: only rendering a report, sending a task, asking for the schema, signing a head
or logging JSON loads them."""

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
    "drf_spectacular.openapi",
    "drf_spectacular.plumbing",
    "portfolio.api_platform.schema",
    "django.test",
    "jinja2",
    "cryptography",
    "pythonjsonlogger",
)

SCRIPT = """
import os, sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # the URL configuration and every view module it names
from django.core.management import call_command
call_command("check", stdout=open(os.devnull, "w"))
print(" ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def test_the_url_configuration_and_manage_py_check_load_no_heavy_library():
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
