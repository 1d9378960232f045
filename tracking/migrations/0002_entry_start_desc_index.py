from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(models.F("start").desc(), models.F("id").desc(), name="entry_start_id_desc_idx"),
        ),
    ]
