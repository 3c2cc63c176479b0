from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "portfolio.api_platform"
    label = "api"
    verbose_name = "API"
