"""Gunicorn's settings for Portefølje (portefolje-web.service passes it with -c).

The address and the number of workers come from the environment (portefolje.env).
"""

import os

bind = [os.environ.get("PORTEFOLJE_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * os.cpu_count() + 1, 8)))
worker_class = "sync"
# Requests are short (reports render in Celery); a stuck one is killed rather than queued behind.
timeout = 30
graceful_timeout = 30
# Bound each worker's memory growth: it is replaced after this many requests.
max_requests = 2000
max_requests_jitter = 200
# Portefølje logs every request itself (portefolje.request); gunicorn's errors go to stderr.
accesslog = None
errorlog = "-"


def child_exit(server, worker):
    """Drop a dead worker's metric files, so /metrics adds up only the living workers."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
