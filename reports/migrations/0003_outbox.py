
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_issuedreport_reportlab_version'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='reportrequest',
            name='deadline',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='reportrequest',
            name='dispatched_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='reportrequest',
            index=models.Index(condition=models.Q(('state__in', ['queued', 'running'])), fields=['deadline'], name='open_report_requests'),
        ),
        # Requests left open before the outbox (the stuck "running 40 %" ones among them) are due
        # at once: the sweep sends them again, and a run still alive keeps its lock.
        migrations.RunSQL(
            "UPDATE reports_reportrequest SET deadline = CURRENT_TIMESTAMP"
            " WHERE state IN ('queued', 'running')",
            migrations.RunSQL.noop,
        ),
    ]
