"""The Celery app, configured from Django settings (CELERY_* names)."""

import importlib
import os

from celery import Celery
from django.utils.module_loading import module_has_submodule

from portfolio.ops import worker as ops

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")

app = Celery("portefolje")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Connecting ops' signal handlers (by importing it) passes request ids to tasks and logs each
# task; its consumer step stamps the heartbeat /health/ready looks for.
app.steps["consumer"].add(ops.Heartbeat)


@app.on_after_finalize.connect
def collect_beat_schedules(sender: Celery, **kwargs) -> None:
    """Merge each installed app's BEAT_SCHEDULE (beside its tasks, in `<app>.tasks`) into beat's.

    Beat finalizes the app before it reads the schedule; so does the first task sent or run.
    """
    from django.apps import apps

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "tasks"):
            tasks = importlib.import_module(f"{config.name}.tasks")
            schedule = getattr(tasks, "BEAT_SCHEDULE", {})
            sender.conf.beat_schedule = {**(sender.conf.beat_schedule or {}), **schedule}
