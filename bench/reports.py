"""Benchmark the reports: snapshot assembly and rendering per status page, pages per second,
a 100-project portfolio, a minimal ReportLab floor and (if it installs) WeasyPrint from HTML.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/reports.py [--no-weasyprint]
It makes its own database beside DATABASE_URL's (that name plus `_reports`), migrates it, loads
the demo so the seed project is there, and drops it at the end.
"""

import dataclasses
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _db  # noqa: E402 (bench/ is on sys.path when run as a script)

SERVER = _db.server()
DATABASE = f"{SERVER['NAME']}_reports"
_db.create(SERVER, DATABASE)
_db.setup_django(_db.url_for(SERVER, DATABASE))

from django.core.management import call_command  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from reports.html import render_status_page_html  # noqa: E402
from reports.pdf.render import render_portfolio, render_status_page  # noqa: E402
from reports.snapshot import build_status_page  # noqa: E402

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


WEASY_SCRIPT = """
import sys, time
from weasyprint import HTML
html = open(sys.argv[1], encoding="utf-8").read()
HTML(string=html).write_pdf()
wall, cpu = [], []
for _ in range(int(sys.argv[2])):
    t, c = time.perf_counter(), time.process_time()
    HTML(string=html).write_pdf()
    wall.append(time.perf_counter() - t); cpu.append(time.process_time() - c)
wall.sort(); cpu.sort()
print(f"{wall[len(wall) // 2] * 1000:.1f} {cpu[len(cpu) // 2] * 1000:.1f}")
"""


def weasyprint_ms(html: str) -> tuple[tuple[float, float] | None, str]:
    """Install WeasyPrint into a throw-away directory (never the project's venv) and time it."""
    target = Path(tempfile.gettempdir()) / "portefolje-bench-weasyprint"
    if not (target / "weasyprint").exists():
        install = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(target),
                "weasyprint",
            ],
            capture_output=True,
            text=True,
        )
        if install.returncode:
            return None, f"pip install failed: {install.stderr.strip().splitlines()[-1:]}"
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(html)
    env = {**os.environ, "PYTHONPATH": str(target)}
    run = subprocess.run(
        [sys.executable, "-c", WEASY_SCRIPT, f.name, "10"], capture_output=True, text=True, env=env
    )
    if run.returncode:
        return None, f"WeasyPrint would not run: {run.stderr.strip().splitlines()[-1:]}"
    wall, cpu = (float(x) for x in run.stdout.split())
    return (wall, cpu), "WeasyPrint (installed outside the venv)"


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
    total = assemble[0] + render[0]
    print(
        f"  total per status page: {total:.1f} ms, CPU {assemble[2] + render[2]:.1f} (target <= 40)"
    )
    print(f"  pages per second (rendering): {pages * 1000 / render[0]:.1f}")
    print(
        f"portfolio of 100 projects (rendering, {portfolio_pages} pages): {portfolio_s:.2f} s, "
        f"CPU {portfolio_cpu:.2f} s (target <= 4)"
    )
    if "--no-weasyprint" in sys.argv:
        print("WeasyPrint: skipped (--no-weasyprint)")
    else:
        weasyprint(snapshot, render)
    print(f"load average {_db.load()} at end (other work on this machine slows every figure)")


def weasyprint(snapshot, render: tuple) -> None:
    """Print WeasyPrint's time for the same page from its HTML twin, as a multiple of ours."""
    weasy, note = weasyprint_ms(render_status_page_html(snapshot))
    if weasy is None:
        print(f"WeasyPrint: skipped, {note}")
    else:
        print(
            f"{note}, same page from the HTML twin: {weasy[0]:.1f} ms, CPU {weasy[1]:.1f} "
            f"({weasy[1] / render[2]:.1f}x ReportLab's CPU time, {weasy[0] / render[0]:.1f}x its"
            " wall-clock time; target >= 10x)"
        )


if __name__ == "__main__":
    main()
