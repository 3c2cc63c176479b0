"""A hook for a worker process (tests/worker.py's WORKER_IMPORT): while the file named in
PORTEFOLJE_TEST_REPORT_GATE exists, a report's render waits, with the job claimed and running,
and the waiting process writes its pid next to it (`held`): a test can kill it mid-report."""

import os
import time
from pathlib import Path

from celery import signals

GATE = Path(os.environ["PORTEFOLJE_TEST_REPORT_GATE"])


def _wrap_render(**_) -> None:
    from reports import services

    real = services.render_pinned
    if getattr(real, "gated", False):
        return

    def gated(*args, **kwargs):
        if GATE.exists():
            (GATE.parent / "held").write_text(str(os.getpid()))
            while GATE.exists():
                time.sleep(0.05)
        return real(*args, **kwargs)

    gated.gated = True
    services.render_pinned = gated


# In each pool child (prefork), or in the worker itself (solo): Django is set up by then.
signals.worker_process_init.connect(_wrap_render, weak=False)
signals.worker_init.connect(_wrap_render, weak=False)
