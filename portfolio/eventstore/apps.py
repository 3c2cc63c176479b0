from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "portfolio.eventstore"
    label = "eventstore"
    verbose_name = "Event store"

    def ready(self):
        # Beat's schedule lives with the task it runs, as the reports' does.
        from portfolio.celery import app

        from .tasks import BEAT_SCHEDULE

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
