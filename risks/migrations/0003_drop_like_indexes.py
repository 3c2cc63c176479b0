"""Drop the unused LIKE copies of the risk table's key indexes (eventstore/like_indexes.py)."""

from django.db import migrations

from portfolio.eventstore.like_indexes import dropping


class Migration(migrations.Migration):
    dependencies = [("risks", "0002_project_members_index")]

    operations = [
        dropping(
            ("risks_risk", "id"),
            ("risks_risk", "project_id"),
            ("risks_risk", "status"),
            ("risks_risk", "track_id"),
        )
    ]
