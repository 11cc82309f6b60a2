# A comment's language and direction, from its dominant script (issue 15): the
# column, its check, and every existing comment's language; the bodies' HTML is
# written again so the numbers and @names in it are isolated (comments.text).
from django.db import migrations, models

from comments.text import render_body
from core.script import language_of

BATCH = 2000


def backfill(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    last = 0
    while True:
        batch = list(Comment.objects.filter(pk__gt=last).order_by("pk").only("pk", "body")[:BATCH])
        if not batch:
            return
        for comment in batch:
            comment.body_lang = language_of(comment.body)
            comment.body_html = render_body(comment.body)
        Comment.objects.bulk_update(batch, ["body_lang", "body_html"], batch_size=500)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("comments", "0003_readers")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_lang",
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
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("body_lang__in", ["", "en", "ur"])),
                name="comment_body_lang_valid",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
