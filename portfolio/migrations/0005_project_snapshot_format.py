from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portfolio', '0004_project_event_chunks'),
    ]

    operations = [
        # Rows written before hold dataclass records: format 1, never read again (a rebuild
        # writes them anew).
        migrations.AddField(
            model_name='projectsnapshot',
            name='format',
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
    ]
