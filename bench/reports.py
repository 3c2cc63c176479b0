"""Benchmark the reports: snapshot assembly and rendering per status page, pages per second,
a 100-project portfolio, a minimal ReportLab floor and (if it installs) WeasyPrint from HTML.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/reports.py [--no-weasyprint]
[--instructions]  (the last counts instructions per page under callgrind: some minutes)
It makes its own database beside DATABASE_URL's (that name plus `_reports`), migrates it, loads
the demo so the seed project is there, and drops it at the end.
"""

import dataclasses
import io
import pickle
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _callgrind  # noqa: E402 (bench/ is on sys.path when run as a script)
import _db  # noqa: E402
import _weasyprint  # noqa: E402

SERVER = _db.server()
DATABASE = f"{SERVER['NAME']}_reports"
_db.create(SERVER, DATABASE)
_db.setup_django(_db.url_for(SERVER, DATABASE))

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from reports.build import build_status_page  # noqa: E402
from reports.html import render_status_page_html  # noqa: E402
from reports.pdf.render import render_portfolio, render_status_page  # noqa: E402

SLUG = "paa-tvaers-boern-og-unge"
AS_OF = date(2026, 4, 24)
RUNS = 30


def timed(fn, runs: int = RUNS) -> tuple[float, float, float]:
    """Return (median, p95, median CPU) milliseconds of fn over runs, after a warm-up call.

    CPU time is printed too: on a shared machine the wall clock also counts other processes.
    """
    fn()
    samples, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1], statistics.median(cpu)


def minimal_reportlab(snapshot) -> bytes:
    """The floor: the same texts as plain paragraphs and one table, nothing else."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

    from reports.pdf.styles import FONT, register_fonts

    register_fonts()
    style = getSampleStyleSheet()["BodyText"].clone("b", fontName=FONT, fontSize=8)
    texts = [snapshot.area, snapshot.title, snapshot.project_leader, snapshot.purpose]
    texts += [p.text for p in snapshot.participants] + [s.name for s in snapshot.suppliers]
    texts += [s.narrative for s in snapshot.statuses] + [
        r.description for r in snapshot.biggest_risks
    ]
    texts += [k.description + " " + k.remark for k in snapshot.kpis]
    story = [Paragraph(escape(t), style) for t in texts]
    story.append(
        Table([[m.number, m.title[:60], str(m.current_plan)] for m in snapshot.milestones])
    )
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, invariant=1).build(story)
    return out.getvalue()


def portfolio_of(snapshot, count: int) -> list:
    return [
        dataclasses.replace(snapshot, project_slug=f"p{n}", title=f"{snapshot.title} ({n})")
        for n in range(1, count + 1)
    ]


def main() -> None:
    try:
        measure()
    finally:
        from django.db import connections

        connections.close_all()
        _db.drop(SERVER, DATABASE)


def measure() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    snapshot = build_status_page(SLUG, AS_OF)
    pdf = render_status_page(snapshot)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    assemble = timed(lambda: build_status_page(SLUG, AS_OF))
    render = timed(lambda: render_status_page(snapshot))
    together = timed(lambda: render_status_page(build_status_page(SLUG, AS_OF)))
    html = timed(lambda: render_status_page_html(snapshot))
    floor = timed(lambda: minimal_reportlab(snapshot))
    started, started_cpu = time.perf_counter(), time.process_time()
    portfolio = render_portfolio(portfolio_of(snapshot, 100), area="Kommuneområdet")
    portfolio_s = time.perf_counter() - started
    portfolio_cpu = time.process_time() - started_cpu
    portfolio_pages = len(PdfReader(io.BytesIO(portfolio)).pages)

    print(
        f"seed status page: {pages} pages, {len(pdf)} bytes ({RUNS} runs,"
        f" load average {_db.load()})"
    )
    print(f"  {'':48} {'median':>8} {'p95':>8} {'CPU':>8}  (ms)")
    for label, (median, p95, cpu) in (
        (f"snapshot assembly (PostgreSQL, as of {AS_OF})", assemble),
        ("PDF rendering", render),
        ("HTML twin", html),
        ("minimal ReportLab script (floor)", floor),
    ):
        print(f"  {label:48} {median:8.1f} {p95:8.1f} {cpu:8.1f}")
    print(
        f"  {'total per page: assembly, then rendering':48} {together[0]:8.1f}"
        f" {together[1]:8.1f} {together[2]:8.1f}  (target: median <= 40)"
    )
    print(f"  pages per second (rendering): {pages * 1000 / render[0]:.1f}")
    print(
        f"portfolio of 100 projects (rendering, {portfolio_pages} pages): {portfolio_s:.2f} s, "
        f"CPU {portfolio_cpu:.2f} s (target <= 4)"
    )
    if "--no-weasyprint" in sys.argv:
        print("WeasyPrint: skipped (--no-weasyprint)")
    else:
        weasyprint(snapshot)
    if "--instructions" in sys.argv:
        instructions(snapshot)
    print(f"load average {_db.load()} at end (other work on this machine slows every figure)")


ROUNDS = 9


def _ours(snapshot, times: int) -> tuple[float, float]:
    started, started_cpu = time.perf_counter(), time.process_time()
    for _ in range(times):
        render_status_page(snapshot)
    return (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000


def weasyprint(snapshot) -> None:
    """Print WeasyPrint's time for the same page from its HTML twin, as a multiple of ours.

    Rounds alternate: n renders of ours, then one of WeasyPrint's in its warm worker (the order
    flips each round), n chosen so that both sides take about as long; a change of load then
    falls on both sides of a round alike. Each round's ratio is printed, then their median.
    """
    note = _weasyprint.install()
    if note:
        print(f"WeasyPrint: skipped, {note}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "status_page.html"
        html.write_text(render_status_page_html(snapshot), encoding="utf-8")
        worker = _weasyprint.Worker(str(html))
        try:
            rounds = _alternate(snapshot, worker)
        finally:
            worker.close()
    wall = [theirs[0] / ours[0] for ours, theirs in rounds]
    cpu = [theirs[1] / ours[1] for ours, theirs in rounds]
    print(
        f"  median of {ROUNDS} rounds: {statistics.median(wall):.1f}x wall clock"
        f" (range {min(wall):.1f}-{max(wall):.1f}), {statistics.median(cpu):.1f}x CPU time"
        f" (range {min(cpu):.1f}-{max(cpu):.1f}); target >= 10x"
    )


def _alternate(snapshot, worker) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Return per round (ours, WeasyPrint's) milliseconds per page, wall clock and CPU."""
    _ours(snapshot, 3)  # warm-up (WeasyPrint's worker warmed up on start)
    their_wall = worker.render(1)[0]
    our_wall = _ours(snapshot, 3)[0] / 3
    times = max(3, min(40, round(their_wall / our_wall)))
    print(
        f"WeasyPrint (installed outside the venv, in a warm worker process), same page from the"
        f" HTML twin; {ROUNDS} rounds of {times} renders of ours and 1 of WeasyPrint's"
        f" (load average {_db.load()}):"
    )
    print(
        f"  {'round':>5} {'ours':>8} {'CPU':>8} {'WeasyPrint':>11} {'CPU':>8}"
        f" {'wall x':>7} {'CPU x':>7}  (ms per page)"
    )
    rounds = []
    for number in range(1, ROUNDS + 1):
        if number % 2:
            ours = _ours(snapshot, times)
            theirs = worker.render(1)
        else:
            theirs = worker.render(1)
            ours = _ours(snapshot, times)
        ours = (ours[0] / times, ours[1] / times)
        rounds.append((ours, theirs))
        print(
            f"  {number:5} {ours[0]:8.1f} {ours[1]:8.1f} {theirs[0]:11.1f} {theirs[1]:8.1f}"
            f" {theirs[0] / ours[0]:7.1f} {theirs[1] / ours[1]:7.1f}"
        )
    return rounds


def instructions(snapshot) -> None:
    """Print instructions per page of ours and WeasyPrint's, counted by callgrind (slow)."""
    if not _callgrind.available():
        print("instructions: skipped, valgrind is not installed")
        return
    if note := _weasyprint.install():
        print(f"instructions: skipped, {note}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pickled, html = Path(tmp) / "snapshot.pickle", Path(tmp) / "status_page.html"
        pickled.write_bytes(pickle.dumps(snapshot))
        html.write_text(render_status_page_html(snapshot), encoding="utf-8")
        ours = _callgrind.instructions(
            [sys.executable, _callgrind.__file__, "status-page", str(pickled), "3"], 3
        )
        theirs = _callgrind.instructions(
            [sys.executable, _weasyprint.__file__, "count", str(html), "1"],
            1,
            env=_weasyprint.environment(),
        )
    print(
        f"instructions per status page (callgrind, after a warm-up): ours {ours / 1e6:.0f}M,"
        f" WeasyPrint {theirs / 1e6:.0f}M, {theirs / ours:.1f}x"
    )


if __name__ == "__main__":
    main()
