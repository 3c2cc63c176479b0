"""The production stack starts as deploy/ and the README say: a fresh venv with the package's
runtime dependencies only, the setup unit's migrate and collectstatic, then gunicorn, a Celery
worker and beat on PostgreSQL and Redis; an operator's token requests a report and gets its PDF."""

import json
import re
import time
import urllib.error
import urllib.request
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
import pytest
from django.conf import settings

from tests.redis_server import free_port
from tests.reports.pdftext import all_text

from .stack import DEPLOY, ROOT, Stack, secret_key

pytestmark = [pytest.mark.production_stack, pytest.mark.postgres]

SEED_SLUG = "paa-tvaers-boern-og-unge"
SEED_TITLE = "På tværs – Børn & Unge + Lettilgængelige tilbud til børn og unge i mistrivsel"


@contextmanager
def own_database():
    """Create a PostgreSQL database of the test's own beside the suite's; drop it after."""
    db = settings.DATABASES["default"]
    name = f"pf_deploy_stack_{uuid.uuid4().hex[:8]}"
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{server['host']}:{server['port']}/{name}"
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Client:
    """HTTP to gunicorn as the TLS proxy in front speaks it (X-Forwarded-Proto: https)."""

    def __init__(self, port: int, token: str = ""):
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def request(
        self, path: str, body: dict | None = None, accept: str = "application/json"
    ) -> tuple[int, bytes]:
        headers = {"X-Forwarded-Proto": "https", "Accept": accept}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.base + urlsplit(path).path, data, headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def wait_for(what: str, probe, seconds: float, stack: Stack):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, process in stack.processes.items():
            assert process.poll() is None, f"{name} died:\n{stack.log(name)[-3000:]}"
        try:
            found = probe()
        except (urllib.error.URLError, ConnectionError):
            found = None
        if found:
            return found
        time.sleep(0.5)
    logs = "\n".join(f"--- {n}\n{stack.log(n)[-2000:]}" for n in stack.processes)
    raise AssertionError(f"{what}: not within {seconds} s\n{logs}")


@pytest.mark.timeout(900)
def test_the_stack_starts_as_written_and_issues_a_report(tmp_path, private_redis):
    stack = Stack(tmp_path)
    port = free_port()
    # given the package installed into a fresh venv, runtime dependencies only
    stack.install()
    assert stack.importable("pypdf") and not stack.importable("pytest")
    with own_database() as database_url:
        stack.configure(
            DJANGO_SECRET_KEY=secret_key(),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
            DATABASE_URL=database_url,
            CELERY_BROKER_URL=private_redis.url,
            PORTEFOLJE_BIND=f"127.0.0.1:{port}",
            WEB_CONCURRENCY="2",
        )
        try:
            # when the operator runs the setup unit, then starts the three services
            stack.run("portefolje-setup")
            assert any(stack.path("/var/lib/portefolje/static").rglob("*.css"))
            for unit in ("portefolje-web", "portefolje-worker", "portefolje-beat"):
                stack.start(unit)
            # and makes a user who may request reports, and a token for it
            stack.manage(
                "createsuperuser",
                "--noinput",
                "--username=operator",
                "--email=operator@example.org",
                extra_env={"DJANGO_SUPERUSER_PASSWORD": secret_key()},
            )
            token = stack.manage("create_api_token", "operator", "--name=smoke test").strip()
            stack.manage("load_demo", "--no-example", "--allow-demo-users")
            client = Client(port, token)

            # then the site is ready: database, migrations, broker, worker heartbeat, projections
            def ready():
                status, body = client.request("/health/ready")
                return status == 200 and json.loads(body)

            assert wait_for("/health/ready", ready, 120, stack)["status"] == "ready"

            # and a report requested through the API is generated and downloaded
            status, body = client.request(
                "/api/v1/reports/", {"kind": "status_page", "project": SEED_SLUG}
            )
            assert status == 202, body
            queued = json.loads(body)

            def done():
                status, body = client.request(queued["links"]["self"])
                answer = json.loads(body)
                assert answer["state"] != "failed", answer
                return answer["state"] == "done" and answer

            finished = wait_for("the report", done, 180, stack)
            status, pdf = client.request(finished["links"]["pdf"], accept="application/pdf")
            assert status == 200
            assert pdf.startswith(b"%PDF")
            assert SEED_TITLE in all_text(pdf)
            # and the installed command backs the installation up, the archived report with it
            stack.manage("backup", str(tmp_path / "backup"))
            manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
            assert any(name.endswith(".pdf") for name in manifest["media"]), manifest
            # and the worker logged the task as JSON, as the environment file asks
            lines = stack.log("portefolje-worker").splitlines()
            logged = [json.loads(line) for line in lines if line.startswith("{")]
            tasks = [line for line in logged if line["logger"] == "portefolje.task"]
            generated = {"task": "reports.tasks.generate_report", "state": "SUCCESS"}
            assert any(generated.items() <= line.items() for line in tasks), tasks
        finally:
            stack.stop()


def test_the_environment_example_names_every_setting_the_app_reads():
    read = set()
    for path in [*(ROOT / "portfolio").rglob("*.py"), DEPLOY / "gunicorn.conf.py"]:
        text = path.read_text()
        read |= set(re.findall(r"os\.environ\.get\(\s*\"([A-Z_]+)\"", text))
        read |= set(re.findall(r"env_flag\(\"([A-Z_]+)\"", text))
        read |= set(re.findall(r"\"([A-Z_]+)\" in os\.environ", text))
    read |= {"PORTEFOLJE_SIGNING_KEY", "PORTEFOLJE_VERIFY_KEY"}  # with their _FILE twins
    read |= {f"{name}_FILE" for name in ("PORTEFOLJE_SIGNING_KEY", "PORTEFOLJE_VERIFY_KEY")}
    read.discard("DJANGO_SETTINGS_MODULE")
    example = (DEPLOY / "portefolje.env.example").read_text()
    named = set(re.findall(r"^#?\s*([A-Z_]+)=", example, re.MULTILINE))

    assert read - named == set()
