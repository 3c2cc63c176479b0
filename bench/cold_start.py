"""Benchmark cold start: Portefølje beside a minimal Django + DRF project.

Run: .venv/bin/python bench/cold_start.py [ROUNDS]
It writes the minimal project (the admin, the usual contrib apps, DRF and one API view that
answers through a serializer) into a temporary directory, then alternates the two, ROUNDS times
(default 7): the wall time of `manage.py check`, and the time from starting a Python process to
the first response of a page through the WSGI application (Portefølje's login page, the minimal
project's admin login page: both a form rendered from templates, no database query). Both on
SQLite, each in a fresh process, from cached bytecode; it prints the medians and Portefølje's
ratio to the minimal project.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5  # the issue: within 1.5 times a minimal Django project with DRF

MINIMAL_SETTINGS = """
from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "bench-only"
DEBUG = True
ALLOWED_HOSTS = ["*"]
INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "rest_framework",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "mini.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
STATIC_URL = "static/"
USE_TZ = True
"""

# The API view answers through a serializer, as a DRF project's views do. DRF's serializers
# module imports the optional packages it finds installed (psycopg through
# django.contrib.postgres, PyYAML, requests, pygments): a project with DRF pays for them once it
# declares a serializer, so the baseline declares one.
MINIMAL_URLS = """
from django.contrib import admin
from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class PongSerializer(serializers.Serializer):
    pong = serializers.BooleanField()


class Ping(APIView):
    def get(self, request):
        return Response(PongSerializer({"pong": True}).data)


urlpatterns = [path("admin/", admin.site.urls), path("api/ping/", Ping.as_view())]
"""

MANAGE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mini.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""

# A process's first response: set up Django, load the URLs, answer one GET through WSGI.
FIRST_RESPONSE = """
import sys
from django.core.wsgi import get_wsgi_application
from django.test.client import RequestFactory
application = get_wsgi_application()
environ = RequestFactory().get(sys.argv[1]).environ
statuses = []
body = application(environ, lambda status, headers: statuses.append(status))
b"".join(body)
assert statuses[0].startswith("200"), statuses
"""


def write_minimal(directory: Path) -> None:
    (directory / "mini").mkdir()
    (directory / "mini" / "__init__.py").write_text("")
    (directory / "mini" / "settings.py").write_text(MINIMAL_SETTINGS)
    (directory / "mini" / "urls.py").write_text(MINIMAL_URLS)
    (directory / "manage.py").write_text(MANAGE)


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """Return the wall time and the CPU time (user and system) of running `command`.

    The CPU time is steadier than the wall time on a machine that other work shares."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO_"))}
    env.pop("CELERY_BROKER_URL", None)
    # Both start from cached bytecode, as an installed copy does (pip compiles it): with
    # PYTHONDONTWRITEBYTECODE set, the checkout's modules would be compiled at every start and
    # the site-packages' ones not. The cache goes to a folder of the run's own.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        minimal = Path(tmp) / "minimal"
        minimal.mkdir()
        write_minimal(minimal)
        settings = "DJANGO_SETTINGS_MODULE"
        projects = {
            "minimal": (minimal, {**env, settings: "mini.settings"}, "/admin/login/"),
            "portefolje": (ROOT, {**env, settings: "portfolio.settings"}, "/login/"),
        }
        times = {(name, what): [] for name in projects for what in ("check", "first")}
        for cwd, environ, page in projects.values():  # warm the disk cache, write the bytecode
            timed([sys.executable, "manage.py", "check"], cwd, environ)
            timed([sys.executable, "-c", FIRST_RESPONSE, page], cwd, environ)
        for _ in range(rounds):
            for name, (cwd, environ, page) in projects.items():
                check = [sys.executable, "manage.py", "check"]
                times[name, "check"].append(timed(check, cwd, environ))
                first = [sys.executable, "-c", FIRST_RESPONSE, page]
                times[name, "first"].append(timed(first, cwd, environ))
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"median of {rounds} alternating runs, each a fresh process (seconds); load {load}:")
    for what, label in (("check", "manage.py check"), ("first", "first response")):
        for n, clock in ((0, "wall"), (1, "cpu")):
            mini = statistics.median(t[n] for t in times["minimal", what])
            ours = statistics.median(t[n] for t in times["portefolje", what])
            ratio = ours / mini
            verdict = "ok" if ratio <= TARGET_RATIO else f"above the target {TARGET_RATIO}x"
            print(
                f"  {label:16} {clock:4}  minimal {mini:.3f}  portefolje {ours:.3f}"
                f"  ratio {ratio:.2f} ({verdict})"
            )


if __name__ == "__main__":
    main()
