"""A hook for a worker process (tests/worker.py's WORKER_IMPORT): while the file named in
PORTEFOLJE_TEST_BROKEN_PART exists, a fanned-out portfolio report's part that builds the page
of the project named in it raises, as a part whose project cannot be read would."""

import os
from pathlib import Path

from celery import signals

BROKEN = Path(os.environ["PORTEFOLJE_TEST_BROKEN_PART"])


def _break_pages(**_) -> None:
    from reports import fanout

    real = fanout.pages
    if getattr(real, "broken", False):
        return

    def pages(request_id, slugs, *args, **kwargs):
        if BROKEN.exists() and BROKEN.read_text() in slugs:
            raise RuntimeError(f"the project {BROKEN.read_text()} could not be read")
        return real(request_id, slugs, *args, **kwargs)

    pages.broken = True
    fanout.pages = pages


# In each pool child (prefork), or in the worker itself (solo): Django is set up by then.
signals.worker_process_init.connect(_break_pages, weak=False)
signals.worker_init.connect(_break_pages, weak=False)
