"""Drop ProjectEventCount.complete: every project's chunks now list all its events.

A project counted before chunks existed (migration 0004) had no chunks to trust and was read
stream by stream; `rebuild_projections portfolio.project_snapshots` counts it whole. That path
is gone, so this migration refuses a database that still holds such a project rather than let
its reads miss events.
"""

from django.db import migrations

REBUILD_FIRST = (
    "{n} project(s) were counted before event chunks existed. Before this migration, run"
    " `manage.py rebuild_projections portfolio.project_snapshots` with the release that has"
    " migration portfolio/0008 as its last."
)


def refuse_incomplete_counts(apps, schema_editor):
    counts = apps.get_model("portfolio", "ProjectEventCount")
    incomplete = counts.objects.filter(complete=False).count()
    if incomplete:
        raise RuntimeError(REBUILD_FIRST.format(n=incomplete))


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0008_project_snapshot_json")]

    operations = [
        migrations.RunPython(refuse_incomplete_counts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="projecteventcount", name="complete"),
    ]
