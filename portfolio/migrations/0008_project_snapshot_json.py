from django.db import migrations, models


class Migration(migrations.Migration):
    """Project snapshots hold JSON and the code version of each aggregate type in it, in place
    of pickles. The pickled rows cannot be read as JSON: they are deleted (they are a cache),
    and `manage.py rebuild_projections portfolio.project_snapshots` writes them again."""

    dependencies = [
        ("portfolio", "0007_drop_project_status_date"),
    ]

    operations = [
        migrations.RunSQL(
            "DELETE FROM portfolio_projectsnapshot", reverse_sql=migrations.RunSQL.noop
        ),
        migrations.RemoveField(model_name="projectsnapshot", name="format"),
        migrations.RemoveField(model_name="projectsnapshot", name="state"),
        migrations.AddField(
            model_name="projectsnapshot",
            name="state",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="projectsnapshot",
            name="versions",
            field=models.JSONField(default=dict),
            preserve_default=False,
        ),
    ]
