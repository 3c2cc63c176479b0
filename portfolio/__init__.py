"""Portefølje: the Django project and the portfolio's core domain."""

from .celery import app as celery_app

__all__ = ["celery_app"]
