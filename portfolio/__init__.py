"""Portefølje: the Django project and the portfolio's core domain.

The Celery app is in portfolio.celery; `celery -A portfolio` finds it there, and a process that
sends a task imports it where it sends, so a web process does not load Celery to start.
"""
