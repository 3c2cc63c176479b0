"""Benchmark the web pages on a generated two-year portfolio: server time and bytes per page.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portefolje .venv/bin/python bench/web_pages.py
[--database NAME] [--repeat 30]
It reads the portfolio bench/generate.py wrote (<name>_portfolio unless --database says
otherwise; about 2,000 events per project over two years), logs a superuser in, and requests
each page through Django's test client in this process, so the time is the server's (URL
routing, middleware, view, template) without a network. Per page it prints p50 and p95, the
median CPU time of this process (which other work on the machine inflates less than the wall
clock; the database's own time is not in it), the HTML's size and the query count, beside the
baseline: a minimal login-required Django view on
the same database listing the projects through a template (bench/web_urls.py). It checks the
project page against the targets of issue 16 (<= 100 ms server time, <= 150 KB of HTML).
"""

import argparse
import logging
import statistics
import sys
import time
from datetime import date, timedelta

import _db

PROJECT_TARGET_MS = 100
PROJECT_TARGET_KB = 150


def prepare() -> tuple:
    """Return a superuser to log in and the slug of a project in the middle of the portfolio."""
    from django.contrib.auth import get_user_model

    from portfolio.models import Project

    user, _ = get_user_model().objects.get_or_create(
        username="bench-web", defaults={"is_superuser": True, "is_staff": True}
    )
    slugs = list(Project.objects.order_by("slug").values_list("slug", flat=True))
    return user, slugs[len(slugs) // 2]


def measure(client, urls: list[str], repeat: int) -> list[dict]:
    """Request each url once to warm up, then all of them in turn `repeat` times, so that other
    work on the machine falls on every page alike; return the figures per url."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = {url: [] for url in urls}
    cpu = {url: [] for url in urls}
    responses = {url: client.get(url) for url in urls}
    for _ in range(repeat):
        for url in urls:
            start, start_cpu = time.perf_counter(), time.thread_time()
            responses[url] = client.get(url)
            times[url].append((time.perf_counter() - start) * 1000)
            cpu[url].append((time.thread_time() - start_cpu) * 1000)
    results = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        ordered = sorted(times[url])
        results.append(
            {
                "status": responses[url].status_code,
                "kb": len(responses[url].content) / 1000,
                "p50": statistics.median(ordered),
                "p95": ordered[max(0, round(len(ordered) * 0.95) - 1)],
                "cpu": statistics.median(cpu[url]),
                "queries": len(queries),
            }
        )
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="the generated portfolio (default <name>_portfolio)")
    parser.add_argument("--repeat", type=int, default=30, help="requests per page")
    args = parser.parse_args()
    db = _db.server()
    name = args.database or f"{db['NAME']}_portfolio"
    if not _db.exists(db, name):
        print(f"no database {name}: run bench/generate.py --database {name} first")
        return 2
    _db.setup_django(_db.url_for(db, name))
    _db.migrate()  # the portfolio may be older than the code's last migration
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    for logger in ("portefolje.request", "django.request"):  # a line a request hides the figures
        logging.getLogger(logger).setLevel(logging.ERROR)

    user, slug = prepare()
    year_ago = (date.today() - timedelta(days=365)).isoformat()  # noqa: DTZ011 (a rough day)
    client = Client(HTTP_ACCEPT_LANGUAGE="da")
    client.force_login(user)
    cases = [
        ("baseline: minimal Django page", "/bench/baseline/"),
        ("overview", "/"),
        ("project page", f"/projects/{slug}/"),
        ("project page a year ago", f"/projects/{slug}/?as_of={year_ago}"),
        ("history, first page", f"/projects/{slug}/history/"),
        ("history, risks assessed, page 3", f"/projects/{slug}/history/?kind=assessed&page=3"),
    ]
    print(f"database {name}, {args.repeat} requests a page, load average {_db.load()}")
    # DEBUG off, as in production: templates without debug information (the first render, in
    # here, builds the engine); static files by name, with no manifest to build first.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {**settings.STORAGES, "staticfiles": plain}
    with override_settings(ROOT_URLCONF="bench.web_urls", DEBUG=False, STORAGES=storages):
        figures = measure(client, [url for _, url in cases], args.repeat)
    results = dict(zip([label for label, _ in cases], figures, strict=True))
    for label, r in results.items():
        print(
            f"  {label:<34} {r['status']}  {r['kb']:6.1f} KB   p50 {r['p50']:6.1f} ms"
            f"   p95 {r['p95']:6.1f} ms   cpu p50 {r['cpu']:6.1f} ms   queries {r['queries']}"
        )
    base = results[cases[0][0]]
    for label, r in list(results.items())[1:]:
        print(f"  {label:<34} p50 / baseline p50 = {r['p50'] / base['p50']:5.1f}")
    page = results["project page"]
    print(
        f"  project page p95 {page['p95']:.1f} ms (target <= {PROJECT_TARGET_MS} ms),"
        f" {page['kb']:.1f} KB (target <= {PROJECT_TARGET_KB} KB)"
    )
    failed = [label for label, r in results.items() if r["status"] != 200]
    if failed:
        print(f"  not every answer was 200: {failed}; the figures above mean nothing")
        return 1
    met = page["p95"] <= PROJECT_TARGET_MS and page["kb"] <= PROJECT_TARGET_KB
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
