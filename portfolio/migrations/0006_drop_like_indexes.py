"""Drop the unused LIKE copies of the read models' key indexes (eventstore/like_indexes.py)."""

from django.db import migrations

from portfolio.eventstore.like_indexes import dropping


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0005_project_snapshot_format")]

    operations = [
        dropping(
            ("portfolio_area", "id"),
            ("portfolio_area", "slug"),
            ("portfolio_decision", "id"),
            ("portfolio_decision", "project_id"),
            ("portfolio_kpipoint", "id"),
            ("portfolio_kpipoint", "series_id"),
            ("portfolio_kpiseries", "id"),
            ("portfolio_kpiseries", "project_id"),
            ("portfolio_kpiseries", "track_id"),
            ("portfolio_project", "area_id"),
            ("portfolio_project", "id"),
            ("portfolio_project", "slug"),
            ("portfolio_projecteventchunk", "id"),
            ("portfolio_projecteventcount", "project_id"),
            ("portfolio_projectsnapshot", "id"),
            ("portfolio_status", "id"),
            ("portfolio_status", "project_id"),
            ("portfolio_status", "track_id"),
            ("portfolio_track", "id"),
            ("portfolio_track", "project_id"),
        )
    ]
