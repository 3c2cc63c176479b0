"""WeasyPrint beside our renderer: installed outside the venv, kept running in a worker process.

The worker renders the HTML twin on request, so the benchmark can alternate rounds of ours and
its in one run; timing the two minutes apart on a shared machine measured the load as much as
the renderers. Run as a script it is the worker (or, with `count`, the child that callgrind
counts).
"""

import operator
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = Path(tempfile.gettempdir()) / "portefolje-bench-weasyprint"


def install() -> str | None:
    """Install WeasyPrint into TARGET (never the project's venv); return why not, or None."""
    if (TARGET / "weasyprint").exists():
        return None
    run = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(TARGET), "weasyprint"],
        capture_output=True,
        text=True,
    )
    if run.returncode:
        return f"pip install failed: {run.stderr.strip().splitlines()[-1:]}"
    return None


def environment() -> dict:
    return {**os.environ, "PYTHONPATH": str(TARGET)}


class Worker:
    """A WeasyPrint process that has rendered the HTML once (warm-up) and renders it on request."""

    def __init__(self, html_path: str):
        self.process = subprocess.Popen(
            [sys.executable, __file__, "serve", html_path],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment(),
        )
        if self.process.stdout.readline().strip() != "ready":
            self.close()
            raise RuntimeError("the WeasyPrint worker did not start")

    def render(self, times: int) -> tuple[float, float]:
        """Render the page `times` times; return the worker's wall-clock and CPU milliseconds."""
        self.process.stdin.write(f"{times}\n")
        self.process.stdin.flush()
        wall, cpu = self.process.stdout.readline().split()
        return float(wall), float(cpu)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def _serve(html_path: str) -> None:
    from weasyprint import HTML

    html = Path(html_path).read_text(encoding="utf-8")
    HTML(string=html).write_pdf()  # warm-up: imports, fonts, the user-agent stylesheet
    print("ready", flush=True)
    for line in sys.stdin:
        started, started_cpu = time.perf_counter(), time.process_time()
        for _ in range(int(line)):
            HTML(string=html).write_pdf()
        wall = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - started_cpu) * 1000
        print(f"{wall:.3f} {cpu:.3f}", flush=True)


def _count(html_path: str, times: int) -> None:
    """Render once to warm up, then `times` times inside operator.call, which callgrind counts."""
    from weasyprint import HTML

    html = Path(html_path).read_text(encoding="utf-8")
    HTML(string=html).write_pdf()
    operator.call(lambda: [HTML(string=html).write_pdf() for _ in range(times)])


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        _serve(sys.argv[2])
    else:
        _count(sys.argv[2], int(sys.argv[3]))
