"""The API in the zero-setup run (`make run`: SQLite, no server), as a client meets it."""

import os
import subprocess
import sys
from pathlib import Path

from reports.demo import seed

ROOT = Path(__file__).resolve().parents[2]

# A reader with a token reads the seed project three times, the event feed and a list: the
# token's first use is stamped on it, and the later reads find the stamp (a time SQLite stores
# without zone); the feed names each event's project (DISTINCT ON, PostgreSQL's only, was a 500).
READS = f"""
from django.contrib.auth.models import Group, User
from django.test import Client
from milestones.models import Milestone
from portfolio import roles
from portfolio.api_platform.models import ApiToken
reader = User.objects.create_user("reader")
reader.groups.add(Group.objects.get_or_create(name=roles.API_READERS)[0])
client = Client(HTTP_AUTHORIZATION="Token " + ApiToken.issue(reader, name="t")[1])
# a status page published and withdrawn: the withdrawal names no project, the feed finds it
from django.db import transaction
from portfolio.eventstore import store
from portfolio.eventstore.models import StoredEvent
from reports import publishing
from reports.models import IssuedReport
leader = User.objects.get(username="projektleder")
now = StoredEvent.objects.latest("position").known_at  # the page as of the log's head
with transaction.atomic():
    page = IssuedReport.objects.create(
        kind="status_page", project_slug="{seed.PROJECT_SLUG}", language="da", as_of_time=now,
        as_of_position=store.head_position(), sha256="0" * 64, size=1, pages=1,
        file="reports/0.pdf", requested_at=now, issued_at=now,
    )
    publishing.issue(page, leader)
publishing.withdraw(str(page.id), reason="Forkert dato", actor=leader)
paths = ["/api/v1/projects/{seed.PROJECT_SLUG}/"] * 3 + ["/api/v1/events/?limit=1000"]
paths += ["/api/v1/milestones/?count=true"]
answers = [client.get(p, HTTP_HOST="localhost") for p in paths]
counted = answers[-1].json()["count"] == Milestone.objects.current().count()
(withdrawn,) = [e for e in answers[3].json()["results"] if e["type"] == "Publication.Withdrawn"]
print([a.status_code for a in answers], counted, withdrawn["project"]["slug"])
"""


def test_a_token_reads_the_seed_project_again_and_again_on_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    manage("load_demo")

    answered = manage("shell", "-c", READS).split("\n")[-2]
    assert answered == f"[200, 200, 200, 200, 200] True {seed.PROJECT_SLUG}"
