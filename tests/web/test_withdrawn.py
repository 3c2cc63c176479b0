"""A milestone withdrawn through the API: gone from the project's page, there in its history."""

import pytest
from django.contrib.auth.models import User

from milestones.commands import milestone_withdraw
from portfolio.models import Project

from . import demo
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db, pinned_today):
    demo.load()


def test_a_withdrawn_milestone_leaves_the_page_and_its_history_says_why(client, loaded):
    project = Project.objects.get(slug=demo.EXAMPLE)
    milestone = project.milestones.get(title__startswith="Pilotdrift")
    before = text(as_user(client, demo.READER).get(f"/projects/{demo.EXAMPLE}/"))

    milestone_withdraw(
        milestone_id=milestone.id,
        reason="Planlagt to gange",
        expected_version=None,
        actor=User.objects.get(username=demo.MANAGER),
    )

    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    assert before.count(milestone.title) > page.count(milestone.title)
    assert f"Trukket tilbage : {milestone.title} (Planlagt to gange)" in page
