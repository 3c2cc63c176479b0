"""The Celery app, configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

from portfolio.ops import worker as ops

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

app = Celery("portefolje")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Connecting ops' signal handlers (by importing it) passes request ids to tasks and logs each
# task; its consumer step stamps the heartbeat /health/ready looks for.
app.steps["consumer"].add(ops.Heartbeat)
