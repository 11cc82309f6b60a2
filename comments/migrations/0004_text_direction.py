# A comment's language and direction, from its dominant script (issue 15).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("comments", "0003_readers")]

    operations: list[migrations.operations.base.Operation] = []
