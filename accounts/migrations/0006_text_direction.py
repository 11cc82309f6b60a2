# A display name's direction, from its dominant script (issue 15): the column, its
# check, and every existing account's.
from django.db import migrations, models

from core.script import language_of

BATCH = 2000


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    last = 0
    while True:
        batch = list(
            User.objects.filter(pk__gt=last).order_by("pk").only("pk", "display_name")[:BATCH]
        )
        if not batch:
            return
        for user in batch:
            user.display_name_lang = language_of(user.display_name)
        User.objects.bulk_update(batch, ["display_name_lang"], batch_size=500)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_readers")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="display_name_lang",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Undetermined (no letters)"),
                    ("en", "English (Latin script)"),
                    ("ur", "Urdu (Arabic script)"),
                ],
                db_default="",
                default="",
                editable=False,
                max_length=8,
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(("display_name_lang__in", ["", "en", "ur"])),
                name="user_display_name_lang_valid",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
