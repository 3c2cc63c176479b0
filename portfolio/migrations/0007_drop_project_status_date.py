"""Drop the project's status date column: readers take it from the current status rows."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0006_drop_like_indexes"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="project",
            name="status_date",
        ),
    ]
