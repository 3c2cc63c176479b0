"""Benchmark the steering group's overview: the page, and its derived lights beside folding.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/portefolje .venv/bin/python bench/overview.py
It creates its own database (<name>_overview), builds bench/web_pages.py's portfolio (500
projects; BENCH_PROJECTS to change), gives each project a marked biggest risk and the portfolio a
steering meeting, then prints p50/p95, bytes and queries of the overview (plain and sorted), and
the time to judge every project's light from the read models (reports.derived.current_lights)
beside the baseline of folding each project from the log and judging that (track_lights, as the
project page does), with the ratio; then drops the database.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _db, web_pages  # noqa: E402

REPEAT = 20


def prepare() -> None:
    from django.contrib.auth.models import User
    from django.utils import timezone

    from portfolio.models import Project
    from reports.models import SteeringMeeting
    from risks.commands import risk_mark_biggest, risk_raise

    web_pages.build()
    admin = User.objects.filter(is_superuser=True).first()
    for n, project_id in enumerate(Project.objects.values_list("id", flat=True)):
        risk = risk_raise(
            project_id=project_id,
            track_id=None,
            title=f"Risiko {n}",
            probability=1 + n % 5,
            impact=1 + n % 4,
            actor=admin,
        ).stream_id
        risk_mark_biggest(risk_id=risk, actor=admin)
    SteeringMeeting.objects.create(meets_on=timezone.localdate() - timedelta(days=1))


def percentiles(times: list[float]) -> str:
    p95 = statistics.quantiles(times, n=20)[-1]
    return f"p50 {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms"


def timed(run, repeat: int = REPEAT) -> list[float]:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def pages() -> None:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(User.objects.filter(is_superuser=True).first())
    for url in ["/", "/?sort=-derived", "/?sort=risk"]:
        times = timed(lambda url=url: client.get(url))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        print(  # noqa: T201
            f"page {url:18} {response.status_code}  {len(response.content) // 1024:4d} KiB  "
            f"{percentiles(times)}  queries {len(queries)}"
        )


def lights() -> None:
    from django.utils import timezone

    from portfolio.models import Project
    from portfolio.selectors import NOW, project_state
    from reports.derived import current_lights, project_light, track_lights

    projects = list(Project.objects.select_related("area"))
    today = timezone.localdate()
    read_models = timed(lambda: current_lights(projects, today))

    def fold_each():
        for p in projects:
            project_light(track_lights(project_state(p.slug, NOW), NOW))

    folded = timed(fold_each, repeat=3)
    print(f"lights of {len(projects)} projects from the read models: {percentiles(read_models)}")  # noqa: T201
    print(f"baseline, each project folded and judged:     p50 {statistics.median(folded):7.1f} ms")  # noqa: T201
    ratio = statistics.median(folded) / statistics.median(read_models)
    print(f"ratio {ratio:.1f}x faster than folding")  # noqa: T201


def main() -> int:
    print(f"load average {os.getloadavg()[0]:.2f}")  # noqa: T201
    db = _db.server()
    name = f"{db['NAME']}_overview"
    _db.create(db, name)
    try:
        _db.setup_django(_db.url_for(db, name))
        start = time.perf_counter()
        prepare()
        print(f"built {web_pages.PROJECTS} projects in {time.perf_counter() - start:.1f} s")  # noqa: T201
        pages()
        lights()
        from django.db import connections

        connections.close_all()
        return 0
    finally:
        _db.drop(db, name)


if __name__ == "__main__":
    sys.exit(main())
