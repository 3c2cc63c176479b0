"""Production settings from the environment pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def check_deploy(**environ: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_"))
    }
    env.update(environ)
    return subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_check_deploy_passes_with_production_settings_from_the_environment():
    run = check_deploy(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="portefolje.example.org",
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout
    assert "WARNING" not in run.stdout + run.stderr


def test_check_deploy_fails_on_a_weak_secret_key():
    # The same check, shown able to fail: a short, guessable key is a deployment warning.
    run = check_deploy(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="portefolje.example.org"
    )

    assert run.returncode != 0
    assert "security.W009" in run.stdout + run.stderr


def test_the_translations_load_from_the_portfolio_app():
    # The catalogue is the portfolio app's own (portfolio/locale): Django finds it by itself.
    from django.conf import settings
    from django.utils import translation

    assert all(Path(path).is_dir() for path in settings.LOCALE_PATHS)
    with translation.override("da"):
        assert translation.gettext("Too long.") == "For lang."
    with translation.override("en"):
        assert translation.gettext("Too long.") == "Too long."


def email_settings(**environ: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMAIL_", "DJANGO_"))}
    env.update(environ, DJANGO_SETTINGS_MODULE="portfolio.settings", PYTHONPATH=str(ROOT))
    code = (
        "from django.conf import settings as s;"
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
    )
    run = subprocess.run(  # noqa: S603 (our own settings, fixed arguments)
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return run.stdout.split()


def test_mail_goes_to_the_console_without_an_smtp_server_as_on_make_run():
    assert email_settings()[0] == "django.core.mail.backends.console.EmailBackend"


def test_mail_goes_by_smtp_to_the_server_the_environment_names():
    backend, host, port, tls, sender = email_settings(
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="portefolje@example.org",
    )
    assert backend == "django.core.mail.backends.smtp.EmailBackend"
    assert (host, port, tls, sender) == (
        "smtp.example.org",
        "587",
        "True",
        "portefolje@example.org",
    )
