"""Benchmark a portfolio report fanned out over Celery workers, beside the one-process report.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/fanout.py [--projects 500] [--days 730]
     [--baseline /path/to/a/checkout] [--database NAME]
It generates the portfolio (bench/generate.py) into its own database beside DATABASE_URL's
(that name plus `_fanout`; or uses the generated database --database names, and keeps it), then
requests the whole portfolio's report through a real broker (Redis, `--broker`, default
redis://127.0.0.1:6379/6) three ways, each with fresh solo-pool workers: in one process
(REPORTS_FAN_OUT off, one worker), fanned out to one worker, and fanned out to two, in
alternating rounds. With --baseline, the workers of every configuration also run that
checkout's code (main's, say), alternating with this one's. It prints each one's median wall
time from request to archived report and its ratio to this code's one-process run, the peak
memory (VmHWM) of each worker and of this process (the caller, as the web process would be),
and whether the PDFs of each code are the same bytes.
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


def reset_peak_memory() -> None:
    """Start this process's VmHWM again from its current size (Linux: clear_refs 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def start_workers(count: int, queue: str, env: dict, code: Path) -> list[subprocess.Popen]:
    workers = []
    for n in range(count):
        command = [sys.executable, "-m", "celery", "-A", "portfolio", "worker", "--pool=solo"]
        command += ["-Q", queue, "-n", f"bench{n}-{queue}@%h", "--loglevel=warning"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        workers.append(subprocess.Popen(command, cwd=code, env=env))  # noqa: S603 - our own
    return workers


def run(workers: int, fan_out: bool, code: Path, broker: str, url: str, user, point) -> tuple:
    """Request the portfolio report of `workers` fresh workers running the checkout `code`;
    return (seconds, workers' peak memory, hash, size, this process's peak memory)."""
    from portfolio.celery import app
    from reports import services
    from reports.models import IssuedReport, ReportRequest

    label = f"{code}: {workers} worker(s), fan-out {fan_out}"
    queue = f"bench-fanout-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": url, "CELERY_BROKER_URL": broker}
    env["PYTHONPATH"] = str(code)  # the venv may be an editable install of another checkout
    env["REPORTS_FAN_OUT"] = "1" if fan_out else "0"
    processes = start_workers(workers, queue, env, code)
    try:
        time.sleep(8)  # the workers start up (Django, Celery) before the clock starts
        app.conf.task_default_queue = queue
        reset_peak_memory()
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
        caller = peak_memory_mb(os.getpid())
        pdf = IssuedReport.objects.get(request=request).file.read()
        return seconds, memory, hashlib.sha256(pdf).hexdigest(), len(pdf), caller
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
    parser.add_argument("--baseline", type=Path, help="a checkout whose workers to compare with")
    parser.add_argument("--database", help="a database bench/generate.py made; kept after")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    args = parser.parse_args()
    server = _db.server()
    name = args.database or f"{server['NAME']}_fanout"
    url = _db.url_for(server, name)
    os.environ["CELERY_BROKER_URL"] = args.broker
    # The archive goes to a folder of this run's own, the same for the workers and this process.
    os.environ["PORTEFOLJE_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-fanout-")
    if not args.database:
        _db.create(server, name)
    _db.setup_django(url)
    _db.migrate()
    import generate
    from django.contrib.auth.models import User

    from portfolio import roles
    from portfolio.models import Project
    from reports.build import pin

    try:
        if args.database:
            print(f"{Project.objects.count()} projects in {name} (load {_db.load()})")
        else:
            print(f"generating {args.projects} projects over {args.days} days (load {_db.load()})")
            generate.build(args.projects, days=args.days)
            roles.ensure_groups()
            User.objects.create_superuser("bench", password=None)
        user = User.objects.get(username="bench")
        # One pin for all the runs, so their reports can be compared byte for byte.
        point = pin()
        codes = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
        configurations = [
            (f"{how:24} {code.name}", workers, fan_out, code)
            for how, workers, fan_out in (
                ("one process, 1 worker", 1, False),
                ("fanned out, 1 worker", 1, True),
                ("fanned out, 2 workers", 2, True),
            )
            for code in codes
        ]
        runs = {label: [] for label, *_ in configurations}
        # Alternating rounds (and codes): the first run of all also warms PostgreSQL's cache.
        for _ in range(args.rounds):
            for label, workers, fan_out, code in configurations:
                result = run(workers, fan_out, code, args.broker, url, user, point)
                runs[label].append(result)
                print(f"  {label}: {result[0]:.1f} s, peak MB per worker", end=" ")
                print(", ".join(f"{m:.0f}" for m in result[1]), f"caller {result[4]:.0f}")
        print(f"portfolio report of {Project.objects.count()} projects, request to archive,")
        print(f"median of {args.rounds} alternating rounds (load {_db.load()}):")
        base = statistics.median(r[0] for r in runs[configurations[0][0]])
        for label, results in runs.items():
            seconds = statistics.median(r[0] for r in results)
            peaks = ", ".join(
                f"{min(m):.0f}-{max(m):.0f}" for m in zip(*(r[1] for r in results), strict=True)
            )
            callers = f"{min(r[4] for r in results):.0f}-{max(r[4] for r in results):.0f}"
            every = " ".join(f"{r[0]:.1f}" for r in results)
            print(
                f"  {label:36} {seconds:7.1f} s  x{seconds / base:.2f}  (runs: {every})"
                f"  peak MB per worker: {peaks}; caller: {callers}"
            )
        for code in codes:
            mine = [
                r for label, results in runs.items() if label.endswith(code.name) for r in results
            ]
            same = "the same bytes" if len({r[2] for r in mine}) == 1 else "NOT the same"
            print(f"  {code.name}: every run's PDF ({mine[0][3]:,} bytes) is {same}")
    finally:
        from django.db import connections

        connections.close_all()
        if not args.database and not args.keep:
            _db.drop(server, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
