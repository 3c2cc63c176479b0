from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portfolio.api_platform"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI description of token authentication with drf-spectacular.
        from . import schema  # noqa: F401
