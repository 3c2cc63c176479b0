"""Celery tasks of the portfolio: a few lines each, ids as JSON arguments, safe to run twice."""

import logging
import time

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def fill_project_snapshots(project_ids: list[str]) -> int:
    """Write the snapshots these projects miss (after a rebuild); return how many were written."""
    from .project_snapshots import fill

    started, written = time.perf_counter(), 0
    for project_id in project_ids:
        written += fill(project_id)
    logger.info(
        "wrote %d snapshots of %d projects in %.1f s",
        written,
        len(project_ids),
        time.perf_counter() - started,
    )
    return written
