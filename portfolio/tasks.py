"""Celery tasks of the portfolio: a few lines each, ids as JSON arguments, safe to run twice."""

import logging
import time

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    # The database blinked: run the group again later (fill skips what is written already).
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=4,
)
def fill_project_snapshots(project_ids: list[str], latest_only: bool = False) -> int:
    """Write the snapshots these projects miss (after a rebuild), or only the latest of each;
    return how many were written."""
    from .project_snapshots import fill

    started, written = time.perf_counter(), 0
    for project_id in project_ids:
        written += fill(project_id, latest_only=latest_only)
    logger.info(
        "wrote %d %ssnapshots of %d projects in %.1f s",
        written,
        "latest " if latest_only else "",
        len(project_ids),
        time.perf_counter() - started,
    )
    return written
