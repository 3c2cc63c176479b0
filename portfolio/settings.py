"""Settings for Portefølje, read from the environment.

With nothing set, the site runs on SQLite with Celery tasks run in-process, so a newcomer sees the
product with one command. Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis),
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DJANGO_DEBUG=0.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from portfolio import media_storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DJANGO_DEBUG", True)
# Demo users have published passwords: load_demo makes them only on a development setup (read
# here, as the test runner turns DEBUG off after settings load) or when told to.
DEMO_USERS_ALLOWED = DEBUG
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h] or (
    ["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "portfolio.eventstore",
    "portfolio.api_platform",
    "portfolio.webhooks",
    "portfolio",
    "milestones",
    "risks",
    "reports",
]

SECURITY_MIDDLEWARE = "django.middleware.security.SecurityMiddleware"
MIDDLEWARE = [
    # Outermost: they time and count every request, including what later middleware answers.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "portfolio.ops.logs.RequestLogMiddleware",
    SECURITY_MIDDLEWARE,
    "csp.middleware.CSPMiddleware",
    # Before anything reads the URL: NUL and other control characters answer 400.
    "portfolio.web.guard.ControlCharacterMiddleware",
    # Outermost but for security: a database outage answers 503 with Retry-After, not 500.
    "portfolio.web.outage.DatabaseOutageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portfolio.web.language.LocaleMiddleware",  # Danish unless the person chose otherwise
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out login (after authentication)
    "portfolio.api_platform.throttling.RateLimitHeaders",  # the API throttle's count, as headers
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

if not DEBUG:  # production serves collectstatic's output; runserver serves static files itself
    MIDDLEWARE.insert(
        MIDDLEWARE.index(SECURITY_MIDDLEWARE) + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
    )

ROOT_URLCONF = "portfolio.urls"
WSGI_APPLICATION = "portfolio.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default (zero setup); PostgreSQL when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two threads of the dev server
    # never both read a stream version and then fail to upgrade to a write lock.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# A PostgreSQL streaming replica of `default` (optional): reads pinned to a log position go
# there once it has replayed that position (portfolio.eventstore.replicas).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(
            os.environ["DATABASE_REPLICA_URL"],
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        ),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["portfolio.eventstore.replicas.PinnedReadRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
CSRF_FAILURE_VIEW = "portfolio.web.views.csrf_failure"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# An installed copy's BASE_DIR is site-packages: production names both folders.
STATIC_ROOT = Path(os.environ.get("PORTEFOLJE_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("PORTEFOLJE_MEDIA_ROOT", BASE_DIR / "media"))
# Who was erased (register ids, when, by whom, why; no names): kept apart from the database,
# so that a restore of a backup taken before an erasure can replay it (erase_person --replay).
ERASURE_JOURNAL = Path(os.environ.get("PORTEFOLJE_ERASURE_JOURNAL", BASE_DIR / "erasures.jsonl"))
STORAGES = {
    # The report archive: MEDIA_ROOT, or an S3-compatible bucket (PORTEFOLJE_MEDIA_STORAGE=s3).
    "default": media_storage.default_storage(os.environ),
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Login throttling (django-axes), on /login/ and /admin/login/ alike: after AXES_FAILURE_LIMIT
# failed logins for one user name, or from one address, that user name or address is refused
# (429) until AXES_COOLOFF_TIME has passed, even with the right password. Counted in the
# database; REMOTE_ADDR is the address, so a proxy in front must pass the client's on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("PORTEFOLJE_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PORTEFOLJE_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"  # in the product's look and languages

# Content-Security-Policy (django-csp) on every HTML answer: our own scripts, styles, images
# and fonts only; no inline script or style, no frames, forms only to us. The report's HTML
# twin sets its own, stricter one (reports.apis.ReportHtmlApi); the middleware keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

# Sites that may show the public status pages (/status/) in a frame, e.g.
# "https://www.medcom.dk https://medcom.dk": their CSP frame-ancestors. None: our own only.
PUBLIC_FRAME_ANCESTORS = os.environ.get("PORTEFOLJE_PUBLIC_FRAME_ANCESTORS", "").split()

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Celery: JSON only. Without a broker, tasks run in-process so the zero-setup run still works.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Redis, as broker and as the throttle's cache, gets short timeouts (connect and read): a slow or
# dead Redis costs a request at most these, never a stall. See "Redis failure policy", README.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.3"))
REDIS_TIMEOUTS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **REDIS_TIMEOUTS,
    # One try per publish: a report job that did not go stays in its outbox (reports.jobs).
    "max_retries": 0,
    # A message a worker took but never acknowledged comes back after this: above the report
    # task's time limit and retry delay (reports.jobs), so a live run is never handed out twice.
    "visibility_timeout": 15 * 60,
}
# A portfolio report may fan out over the workers, one task per project page and a join
# (reports.fanout); the pages reach the join through the result backend, Redis beside the
# broker, kept an hour. Other tasks keep no results.
REPORTS_FAN_OUT = os.environ.get("REPORTS_FAN_OUT", "") == "1"
REPORTS_FAN_OUT_BATCH = int(os.environ.get("REPORTS_FAN_OUT_BATCH", "25"))  # projects a part
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else None
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 3600
# The LOGGING below formats the worker's lines too (JSON when asked), not Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# The API (portfolio/api): tokens before sessions, so anonymous requests get 401 with a scheme;
# read-only unless a view names a write role; errors as problem+json; throttled per token.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "portfolio.api_platform.schema.ProblemAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portfolio.api_platform.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["portfolio.api_platform.permissions.ReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": ["portfolio.api_platform.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_THROTTLE_RATE", "1200/minute")},
    "EXCEPTION_HANDLER": "portfolio.api_platform.problems.exception_handler",
    # JSON nested deeper than any command takes is a 400 (see api_platform.parsing).
    # JSON only: a form body cannot say null (an unknown date), so the schema offers none.
    "DEFAULT_PARSER_CLASSES": ["portfolio.api_platform.parsing.BoundedJSONParser"],
}
# Throttle counts go to Redis when there is one, so every gunicorn worker shares them.
REDIS_URL = os.environ.get("REDIS_URL") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
API_THROTTLE_CACHE = "api"
# What web and worker processes share for operations: the workers' heartbeat, failed tasks.
OPS_CACHE = "ops"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    API_THROTTLE_CACHE: {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": REDIS_TIMEOUTS,
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"},
    OPS_CACHE: {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A dead Redis must not stall a health probe or a metrics scrape (seconds).
        "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ops"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portefølje API",
    "DESCRIPTION": "Milestones, status, risks and KPIs of MedCom's project portfolio.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # The views' annotations wait until a schema is made (api_platform/annotations.py).
    "PREPROCESSING_HOOKS": ["portfolio.api_platform.annotations.apply"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # An example for every JSON body and success answer that names none of its own.
        "portfolio.api_platform.examples.add_examples",
    ],
    # Request bodies are documented as JSON, the API's format. The browsable API's forms are
    # taken too, but not promised: a form cannot send null, which several commands take.
    "PARSER_WHITELIST": [
        "portfolio.api_platform.parsing.BoundedJSONParser",
        "rest_framework.parsers.JSONParser",
    ],
    # Enums of the same field name with different choices need names of their own.
    "ENUM_NAME_OVERRIDES": {
        "MilestoneStateEnum": "milestones.apis.STATES",
        "SupplierStateEnum": "portfolio.checks.SUPPLIER_STATES",
        "ReportRequestStateEnum": "reports.apis.REQUEST_STATES",
        "KindEnum": "reports.apis.KINDS",
        "StatusPageKindEnum": "reports.apis.STATUS_PAGE_KIND",
        "PortfolioKindEnum": "reports.apis.PORTFOLIO_KIND",
        "WebhookScopeEnum": "portfolio.webhooks.models.SCOPES",
        "WebhookDeliveryStateEnum": "portfolio.webhooks.models.DELIVERY_STATES",
        "RatingEnum": "portfolio.checks.RATINGS",
        "LightEnum": "reports.lights.COMPARABLE",
    },
}

# Operations (portfolio/ops): /health/ready's limits, the /metrics token, the log format.
READY_WORKER_MAX_AGE = int(os.environ.get("PORTEFOLJE_READY_WORKER_MAX_AGE", "60"))  # seconds
READY_PROJECTION_LAG = int(os.environ.get("PORTEFOLJE_READY_PROJECTION_LAG", "0"))  # events
WORKER_HEARTBEAT_INTERVAL = 10  # seconds
# Webhooks (portfolio/webhooks): beat follows the log every POLL seconds; a failed delivery is
# retried after BACKOFF, 2*BACKOFF, 4*BACKOFF ... (at most BACKOFF_MAX) and given up after
# MAX_ATTEMPTS tries; each POST waits at most TIMEOUT seconds.
WEBHOOK_POLL_SECONDS = float(os.environ.get("PORTEFOLJE_WEBHOOK_POLL_SECONDS", "5"))
WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("PORTEFOLJE_WEBHOOK_BACKOFF_SECONDS", "30"))
WEBHOOK_BACKOFF_MAX_SECONDS = float(
    os.environ.get("PORTEFOLJE_WEBHOOK_BACKOFF_MAX_SECONDS", "3600")
)
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("PORTEFOLJE_WEBHOOK_MAX_ATTEMPTS", "10"))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("PORTEFOLJE_WEBHOOK_TIMEOUT_SECONDS", "5"))
METRICS_TOKEN = os.environ.get("PORTEFOLJE_METRICS_TOKEN", "")
LOG_FORMAT = os.environ.get("PORTEFOLJE_LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured("PORTEFOLJE_LOG_FORMAT must be text or json")

LOG_FORMATTERS = {
    "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    "json": {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": "%(levelname)s %(name)s %(message)s",
        "rename_fields": {"levelname": "level", "name": "logger"},
        "timestamp": "time",
    },
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "portfolio.ops.logs.ContextFilter"}},
    # Only the one in use: dictConfig builds every formatter it is given, and a process that
    # writes text need not import python-json-logger.
    "formatters": {LOG_FORMAT: LOG_FORMATTERS[LOG_FORMAT]},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # In JSON, the request line is portfolio.ops.logs' alone: runserver's own is plain text.
    "loggers": {"django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False}}
    if LOG_FORMAT == "json"
    else {},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_flag("DJANGO_SECURE_SSL_REDIRECT", True)
    # Probes and scrapers speak plain HTTP to the process, behind the TLS proxy.
    SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# The derived traffic light's rule table (reports/lights.py; the README's "Derived traffic light").
LIGHT_RED_SLIP_DAYS = 90  # an open milestone re-planned more than this past its original plan
LIGHT_RED_OVERDUE_DAYS = 30  # an open milestone overdue by more than this
LIGHT_YELLOW_SLIP_DAYS = 30
LIGHT_YELLOW_OVERDUE_DAYS = 0  # any overdue
LIGHT_YELLOW_RISK_SCORE = 15  # the biggest risk's probability x impact at least this
# A status is "forældet" on the overview when older than the last steering meeting or than this.
STATUS_MAX_AGE_DAYS = 60
# Reminders (reports/reminders.py): this many days before a steering meeting, the managers of each
# project whose status predates the previous meeting are e-mailed a link to the status form.
REMINDER_DAYS_BEFORE_MEETING = int(os.environ.get("PORTEFOLJE_REMINDER_DAYS", "7"))
# Where the site is reached from outside: the links in e-mails start with it.
SITE_URL = os.environ.get("PORTEFOLJE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# E-mail: SMTP when EMAIL_HOST is set (production), else printed on the console (`make run`).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portefolje@localhost")
