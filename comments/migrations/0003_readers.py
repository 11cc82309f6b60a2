# Editors' picks, profiles and notifications for readers (issue 16).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_comment_revisions")]

    operations: list[migrations.operations.base.Operation] = []
