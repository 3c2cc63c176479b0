"""Benchmark the API under gunicorn, loaded from a second process on loopback.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portefolje .venv/bin/python bench/api.py
It reads the generated portfolio in <name>_portfolio (bench/generate.py; built here when missing),
starts gunicorn on 127.0.0.1, and times, with the same load: the milestone list (50 a page,
filtered by area), a project, every project of that area in turn, a project as of a past date,
and the baseline, a plain Django view returning the same list rows as JSON, in alternating
rounds (baseline, list, project, projects, as of; then again). It prints each round's p50s,
requests per second and p50/p95 latency over all rounds, and checks the issue's targets for
the list and the project detail (one project, and the area's in turn): p50 within 1.5x of the
baseline's (with the range of the rounds' ratios) and p95 <= 50 ms. A project read folds the
events after its last snapshot, so the line naming one project says how many that is.
"""

import argparse
import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import threading
import time

import _db

TARGET_RATIO = 1.5
TARGET_P95_MS = 50


def prepare(url: str) -> dict:
    """Create a reader token; pick an area, a project in it and a past date."""
    _db.setup_django(url)
    _db.migrate()  # the portfolio may be older than the code's last migration
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from portfolio import roles
    from portfolio.api_platform.models import ApiToken
    from portfolio.models import Area, Project

    user, _ = get_user_model().objects.get_or_create(username="bench-api-reader")
    user.groups.add(Group.objects.get_or_create(name=roles.API_READERS)[0])
    from portfolio.eventstore.models import StoredEvent

    area = Area.objects.order_by("slug").first()
    projects = list(Project.objects.filter(area=area).order_by("slug").values_list("id", "slug"))
    project_id, slug = projects[len(projects) // 2]
    # A read folds the events after the project's last snapshot (one every EVERY of its
    # events): 0 to EVERY - 1 of them, by chance. The area's projects in turn show the spread.
    from portfolio.models import ProjectEventCount
    from portfolio.project_snapshots import EVERY

    events = dict(ProjectEventCount.objects.values_list("project_id", "events"))
    # Halfway through the project's life: an as-of read that folds about half its history.
    born = StoredEvent.objects.get(stream_id=project_id, version=1).known_at
    as_of = timezone.localdate(born + (timezone.now() - born) / 2).isoformat()
    return {
        "token": ApiToken.issue(user, name="bench")[1],
        "area": area.slug,
        "project": slug,
        "after_snapshot": events[project_id] % EVERY,
        "area_projects": [s for _, s in projects],
        "as_of": as_of,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "API_THROTTLE_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)  # throttle counts in local memory, as in the zero-setup run
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    process = subprocess.Popen(
        [
            gunicorn,
            "bench.api_app:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--chdir",
            str(_db.ROOT),
        ],
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    """Stop gunicorn: gracefully, then (a loaded machine can take longer) for good."""
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _client(port, paths, headers, count, latencies, statuses):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for n in range(count):
        start = time.perf_counter()
        conn.request("GET", paths[n % len(paths)], headers=headers)
        response = conn.getresponse()
        response.read()
        latencies.append((time.perf_counter() - start) * 1000)
        statuses.add(response.status)
    conn.close()


def load(port: int, paths: list[str], headers: dict, requests: int, concurrency: int) -> dict:
    """Send `requests` GETs over `concurrency` keep-alive connections, each going through
    `paths` in turn; return the figures."""
    _client(port, paths, headers, 10, [], set())  # warm up: connections, caches, imports
    latencies, statuses = [], set()
    per_client = requests // concurrency
    threads = [
        threading.Thread(
            target=_client, args=(port, paths, headers, per_client, latencies, statuses)
        )
        for _ in range(concurrency)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "p50": statistics.median(latencies),
        "statuses": sorted(statuses),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="the generated portfolio (default <name>_portfolio)")
    parser.add_argument("--requests", type=int, default=1000, help="per endpoint, all rounds")
    parser.add_argument("--rounds", type=int, default=5, help="baseline and endpoints alternate")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    db = _db.server()
    name = args.database or f"{db['NAME']}_portfolio"
    if not _db.exists(db, name):
        print(f"no database {name}: run bench/generate.py --database {name} first")
        return 2
    url = _db.url_for(db, name)
    setup = prepare(url)
    port = free_port()
    server = start_gunicorn(url, port, args.workers)
    headers = {"Authorization": f"Token {setup['token']}"}
    area, project, as_of = setup["area"], setup["project"], setup["as_of"]
    each = setup["area_projects"]
    cases = [
        ("baseline: plain Django JSON view", [f"/bench/baseline/milestones/?area={area}"]),
        ("milestones ?area= (50 a page)", [f"/api/v1/milestones/?area={area}&limit=50"]),
        (
            f"project detail ({setup['after_snapshot']} events after its snapshot)",
            [f"/api/v1/projects/{project}/"],
        ),
        (
            f"project detail, the area's {len(each)} in turn",
            [f"/api/v1/projects/{s}/" for s in each],
        ),
        (f"project detail ?as_of={as_of}", [f"/api/v1/projects/{project}/?as_of={as_of}"]),
    ]
    print(
        f"database {name}, gunicorn {args.workers} workers, {args.concurrency} connections,"
        f" {args.rounds} rounds of {args.requests // args.rounds} requests per endpoint,"
        f" load average {_db.load()}"
    )
    rounds = {label: [] for label, _ in cases}
    context = multiprocessing.get_context("spawn")
    try:
        with context.Pool(1) as pool:  # the load comes from a second process
            for n in range(args.rounds):
                # Alternate: every round times the baseline and each endpoint in turn, so a
                # neighbour's burst on this shared machine lands on all of them alike.
                for label, path in cases:
                    rounds[label].append(
                        pool.apply(
                            load,
                            (port, path, headers, args.requests // args.rounds, args.concurrency),
                        )
                    )
                print(
                    f"  round {n + 1}: "
                    + "   ".join(f"p50 {rounds[label][-1]['p50']:.1f}" for label, _ in cases)
                )
    finally:
        stop(server)
    failed = [label for label, rs in rounds.items() if any(r["statuses"] != [200] for r in rs)]
    if failed:
        print(f"  not every answer was 200: {failed}; the figures above mean nothing")
        return 1
    results = {label: merged(rs) for label, rs in rounds.items()}
    for label, r in results.items():
        print(
            f"  {label:<52}{r['rps']:>8.1f} req/s   p50 {r['p50']:6.1f} ms   p95 {r['p95']:6.1f} ms"
        )
    base = cases[0][0]
    for label, _ in cases[1:4]:  # the list and the project detail, against the baseline
        ratios = [r["p50"] / b["p50"] for r, b in zip(rounds[label], rounds[base], strict=True)]
        overall = results[label]["p50"] / results[base]["p50"]
        p95 = results[label]["p95"]
        verdict = "met" if overall <= TARGET_RATIO and p95 <= TARGET_P95_MS else "MISSED"
        print(
            f"  {label}: p50 / baseline p50 = {overall:.2f} (rounds {min(ratios):.2f}-"
            f"{max(ratios):.2f}; target <= {TARGET_RATIO}), p95 {p95:.1f} ms"
            f" (target <= {TARGET_P95_MS} ms): {verdict}"
        )
    return 0


def merged(rounds: list[dict]) -> dict:
    """Return the figures of all rounds' requests together."""
    latencies = sorted(x for r in rounds for x in r["latencies"])
    return {
        "rps": len(latencies) / sum(r["elapsed"] for r in rounds),
        "p50": statistics.median(latencies),
        "p95": latencies[int(len(latencies) * 0.95) - 1],
    }


if __name__ == "__main__":
    sys.exit(main())
