"""Benchmark the domain's reads on a generated portfolio: one project and all, now and as of.

`python bench/domain.py` reads the database bench/generate.py made (`<DATABASE_URL's name>
_portfolio`, or --database); when there is none it generates one first (500 projects, about
1,000,000 events) and drops it at the end unless --keep. It prints, each beside its target:

- one project as of a past date, `selectors.project_state(slug, AsOf.of_date(day))`, p50 and
  p95 over --samples random (project, date) pairs, beside the current-state read of the same
  projects, `selectors.project_state(slug)`;
- the whole portfolio as of a date, `selectors.portfolio_states(AsOf.of_date(day))`, for a few
  dates, beside the current-state `selectors.portfolio_states()`.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta

import _db

TARGET_PROJECT_P95_MS = 10
TARGET_PORTFOLIO_S = 1.0


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(function, *args) -> tuple[float, object]:
    started = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - started, result


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def project_reads(samples: int, rng: random.Random) -> None:
    from django.utils import timezone

    from portfolio import selectors
    from portfolio.eventstore.models import StoredEvent
    from portfolio.models import Project

    created = dict(
        StoredEvent.objects.filter(stream_type="Project", version=1).values_list(
            "stream_id", "known_at"
        )
    )
    projects = [(slug, created[pid]) for pid, slug in Project.objects.values_list("id", "slug")]
    today = timezone.localdate()
    pairs = []
    for slug, since in (rng.choice(projects) for _ in range(samples)):
        span = (today - timezone.localdate(since)).days
        pairs.append((slug, today - timedelta(days=rng.randint(1, max(1, span)))))
    for slug, day in pairs[:5]:  # warm the caches and the connection
        selectors.project_state(slug, selectors.AsOf.of_date(day))
        selectors.project_state(slug)
    past, now, empty = [], [], 0
    for slug, day in pairs:
        seconds, state = timed(selectors.project_state, slug, selectors.AsOf.of_date(day))
        past.append(seconds * 1000)
        empty += state is None
        seconds, state = timed(selectors.project_state, slug)
        now.append(seconds * 1000)
        assert state is not None, slug
    p95 = percentile(past, 0.95)
    print(
        f"\n  one project, {samples} random (project, date since its creation) pairs"
        f" ({empty} read as unknown)"
    )
    print(
        f"    as of a past date   p50 {statistics.median(past):7.1f} ms   p95 {p95:7.1f} ms"
        f"   max {max(past):7.1f} ms   target p95 <= {TARGET_PROJECT_P95_MS} ms"
        f"   {verdict(p95 <= TARGET_PROJECT_P95_MS)}"
    )
    print(
        f"    current state       p50 {statistics.median(now):7.1f} ms"
        f"   p95 {percentile(now, 0.95):7.1f} ms   max {max(now):7.1f} ms"
    )


def portfolio_reads(days_back: list[int]) -> None:
    from django.utils import timezone

    from portfolio import selectors

    today = timezone.localdate()
    print("\n  whole portfolio")
    for back in days_back:
        day = today - timedelta(days=back)
        seconds, states = timed(selectors.portfolio_states, selectors.AsOf.of_date(day))
        print(
            f"    as of {day.isoformat()}    {seconds:7.2f} s   {len(states):4} projects,"
            f" {sum(len(s.members) - len(s.kpis) for s in states):6,} milestones and risks"
            f"   target <= {TARGET_PORTFOLIO_S:.0f} s   {verdict(seconds <= TARGET_PORTFOLIO_S)}"
        )
    seconds, states = timed(selectors.portfolio_states)
    print(
        f"    current state         {seconds:7.2f} s   {len(states):4} projects,"
        f" {sum(len(s.members) - len(s.kpis) for s in states):6,} milestones and risks"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="the generated portfolio's database")
    parser.add_argument("--projects", type=int, default=500, help="when generating")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep a database generated here")
    args = parser.parse_args()
    db = _db.server()
    name = args.database or f"{db['NAME']}_portfolio"
    generated = not _db.exists(db, name)
    if generated:
        import generate

        print(f"no database {name}: generating {args.projects} projects first")
        _db.create(db, name)
        _db.setup_django(_db.url_for(db, name))
        _db.migrate()
        generate.report(generate.build(args.projects))
    else:
        _db.setup_django(_db.url_for(db, name))
    try:
        from portfolio.eventstore.models import StoredEvent
        from portfolio.models import Project

        print(
            f"domain reads on database {name}: {StoredEvent.objects.count():,} events,"
            f" {Project.objects.count()} projects (load average {_db.load()})"
        )
        project_reads(args.samples, random.Random(7))
        portfolio_reads([365, 180, 30])
        print(
            f"\n  load average {_db.load()} at end (other work on this machine slows every figure)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if generated and not args.keep:
            _db.drop(db, name)
            print(f"dropped database {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
