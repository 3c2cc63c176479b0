from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "portfolio.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Beat's schedule lives with the task it runs, as the API platform's does.
        from portfolio.celery import app

        from .tasks import beat_schedule

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **beat_schedule()}
