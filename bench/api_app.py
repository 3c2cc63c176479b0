"""The WSGI application gunicorn serves in bench/api.py (the site's, with the baseline URL)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.api_settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
