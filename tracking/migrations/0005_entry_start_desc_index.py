from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0004_time_entry_lock_trigger"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="timeentry",
            index=models.Index(models.F("start").desc(), models.F("id").desc(), name="entry_start_id_desc_idx"),
        ),
    ]
