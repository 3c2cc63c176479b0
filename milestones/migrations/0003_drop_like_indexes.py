"""Drop the unused LIKE copies of the milestone table's key indexes (eventstore/like_indexes.py)."""

from django.db import migrations

from portfolio.eventstore.like_indexes import dropping


class Migration(migrations.Migration):
    dependencies = [("milestones", "0002_project_members_index")]

    operations = [
        dropping(
            ("milestones_milestone", "id"),
            ("milestones_milestone", "project_id"),
            ("milestones_milestone", "track_id"),
        )
    ]
