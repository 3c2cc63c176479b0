"""Settings for bench/api.py's gunicorn: the site's own, plus the baseline view's URL."""

from portfolio.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
