"""Count and log each time the site carried on without a service it normally uses (Redis)."""

import logging
import threading
from collections import Counter

logger = logging.getLogger(__name__)

_counts: Counter[str] = Counter()
_lock = threading.Lock()


def record(what: str, error: BaseException) -> None:
    """Note that `what` fell back because of `error`: counted, and logged as a warning."""
    with _lock:
        _counts[what] += 1
    logger.warning("%s fell back: %s: %s", what, type(error).__name__, error)


def counts() -> dict[str, int]:
    """Return how often each fallback happened in this process, for metrics and tests."""
    with _lock:
        return dict(_counts)
