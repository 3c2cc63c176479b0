"""Benchmark a portfolio report fanned out over Celery workers, beside the one-process report.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/fanout.py [--projects 500] [--days 730]
It generates the portfolio (bench/generate.py) into its own database beside DATABASE_URL's
(that name plus `_fanout`), then requests the whole portfolio's report through a real broker
(Redis, `--broker`, default redis://127.0.0.1:6379/6) three ways, each with fresh solo-pool
workers: in one process (REPORTS_FAN_OUT off, one worker), fanned out to one worker, and fanned
out to two, in alternating rounds. It prints each one's median wall time from request to archived
report and its ratio to the one-process run's, the peak memory (VmHWM) of each worker, and
whether all the PDFs are the same bytes. The database is dropped at the end unless --keep.
"""

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _db  # noqa: E402 (bench/ is on sys.path when run as a script)


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_workers(count: int, queue: str, env: dict) -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        command = [sys.executable, "-m", "celery", "-A", "portfolio", "worker", "--pool=solo"]
        command += ["-Q", queue, "-n", f"bench{n}-{queue}@%h", "--loglevel=warning"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env))  # noqa: S603 - our own
    return workers


def run(label: str, workers: int, fan_out: bool, broker: str, url: str, user, point) -> tuple:
    """Request the portfolio report of `workers` fresh workers; return (seconds, memory, hash)."""
    from portfolio.celery import app
    from reports import services
    from reports.models import IssuedReport, ReportRequest

    queue = f"bench-fanout-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": broker}
    env["REPORTS_FAN_OUT"] = "1" if fan_out else "0"
    processes = start_workers(workers, queue, env)
    try:
        time.sleep(8)  # the workers start up (Django, Celery) before the clock starts
        app.conf.task_default_queue = queue
        started = time.perf_counter()
        request = services.request_report(user, "portfolio", None, point, "da")
        while request.state not in (ReportRequest.DONE, ReportRequest.FAILED):
            time.sleep(0.2)
            request.refresh_from_db()
            if any(p.poll() is not None for p in processes):
                sys.exit(f"{label}: a worker died")
        seconds = time.perf_counter() - started
        if request.state != ReportRequest.DONE:
            sys.exit(f"{label}: the report failed: {request.error}")
        memory = [peak_memory_mb(p.pid) for p in processes]
        pdf = IssuedReport.objects.get(request=request).file.read()
        return seconds, memory, hashlib.sha256(pdf).hexdigest(), len(pdf)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=500)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args()
    server = _db.server()
    name = f"{server['NAME']}_fanout"
    url = _db.url_for(server, name)
    os.environ["CELERY_BROKER_URL"] = args.broker
    # The archive goes to a folder of this run's own, the same for the workers and this process.
    os.environ["PORTEFOLJE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-fanout-")
    _db.create(server, name)
    _db.setup_django(url)
    _db.migrate()
    import generate
    from django.contrib.auth.models import User

    from portfolio import roles
    from reports.build import pin

    try:
        print(f"generating {args.projects} projects over {args.days} days (load {_db.load()})")
        generate.build(args.projects, days=args.days)
        roles.ensure_groups()
        user = User.objects.create_superuser("bench", password=None)
        # One pin for all three runs, so their reports can be compared byte for byte.
        point = pin()
        configurations = (
            ("one process, 1 worker", 1, False),
            ("fanned out, 1 worker", 1, True),
            ("fanned out, 2 workers", 2, True),
        )
        runs = {label: [] for label, _, _ in configurations}
        # Alternating rounds: the first run of all also warms PostgreSQL's cache.
        for _ in range(args.rounds):
            for label, workers, fan_out in configurations:
                runs[label].append(run(label, workers, fan_out, args.broker, url, user, point))
        print(f"portfolio report of {args.projects} projects, request to archive,")
        print(f"median of {args.rounds} alternating rounds (load {_db.load()}):")
        base = statistics.median(r[0] for r in runs["one process, 1 worker"])
        for label, results in runs.items():
            seconds = statistics.median(r[0] for r in results)
            peaks = ", ".join(f"{max(m):.0f}" for m in zip(*(r[1] for r in results), strict=True))
            every = " ".join(f"{r[0]:.1f}" for r in results)
            print(
                f"  {label:24} {seconds:7.1f} s  x{seconds / base:.2f} of one process"
                f"  (runs: {every})  peak MB per worker: {peaks}"
            )
        digests = {r[2] for results in runs.values() for r in results}
        same = "the same bytes" if len(digests) == 1 else "NOT the same"
        print(f"  every run's PDF ({results[0][3]:,} bytes) is {same}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            _db.drop(server, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
