from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portfolio.api_platform"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI description of token authentication with drf-spectacular.
        # Beat's schedule lives with the task it runs, as the event store's does.
        from portfolio.celery import app

        from . import schema  # noqa: F401
        from .tasks import BEAT_SCHEDULE

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}
