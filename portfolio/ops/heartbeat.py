"""The Celery worker's heartbeat: a time a worker writes to the shared cache, read by /health/ready.

A worker bootstep (ops/worker.py) writes it from the consumer's own timer, so a stamp proves
that a worker process is connected and its event loop turns; the readiness probe only reads
one cache key. Pinging workers over the broker (`inspect().ping`) would take a round trip
through every worker on each probe, and answers late from a busy one.
"""

import time

from django.conf import settings
from django.core.cache import caches

KEY = "portefolje:worker-heartbeat"


def beat(worker: str) -> None:
    """Record that `worker` is alive now."""
    caches[settings.OPS_CACHE].set(KEY, {"at": time.time(), "worker": worker}, timeout=None)


def last() -> tuple[float, str] | None:
    """Return (seconds since the last heartbeat, the worker that sent it), or None if none."""
    stamp = caches[settings.OPS_CACHE].get(KEY)
    if not stamp:
        return None
    return max(0.0, time.time() - stamp["at"]), stamp["worker"]
