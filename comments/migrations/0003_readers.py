# Editors' picks, profiles and notifications for readers (issue 16): when a
# comment was made a pick, kept with the flag, and the picks of an article by time.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_comment_revisions")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="featured_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("featured_at__isnull", True), ("is_featured", False))
                | models.Q(("featured_at__isnull", False), ("is_featured", True)),
                name="comment_featured_has_time",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                condition=models.Q(("is_featured", True)),
                fields=["article", "-featured_at", "-id"],
                name="comment_picks_idx",
            ),
        ),
    ]
