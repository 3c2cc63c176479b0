"""Two requests that take one slug at the same moment: one creates, the other is told why."""

import threading
import time

import pytest
from django.db import connections, transaction

from portfolio import commands, roles
from portfolio.errors import Taken
from portfolio.models import Area, Project
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(create) -> dict:
    """Run `create` twice: the second finds the slug free while the first has not committed."""
    written = threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                create()
                written.set()
                time.sleep(0.3)  # the second looks for the slug while this holds it uncommitted
            outcomes["first"] = "created"
        finally:
            written.set()
            connections.close_all()

    def second():
        try:
            written.wait(10)
            create()
            outcomes["second"] = "created"
        except Taken as error:
            outcomes["second"] = error.field
        except Exception as error:  # what would reach the user as a server error
            outcomes["second"] = type(error).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_an_area_slug_taken_at_the_same_moment_is_refused_as_taken():
    admin = factories.admin()

    outcomes = _race(lambda: commands.area_create(slug="samme", name="Området", actor=admin))

    assert outcomes == {"first": "created", "second": "slug"}
    assert Area.objects.filter(slug="samme").count() == 1


def test_a_project_slug_taken_at_the_same_moment_is_refused_as_taken():
    admin, area_id = factories.admin(), factories.area()
    pm = factories.user(roles.PROJECT_MANAGERS)

    outcomes = _race(
        lambda: commands.project_create(
            slug="samme", title="Projektet", area_id=area_id, managers=[pm.username], actor=admin
        )
    )

    assert outcomes == {"first": "created", "second": "slug"}
    assert Project.objects.filter(slug="samme").count() == 1
