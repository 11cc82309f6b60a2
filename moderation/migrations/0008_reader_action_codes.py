# Action codes for editors' picks (issue 16).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("moderation", "0007_due_process")]

    operations: list[migrations.operations.base.Operation] = []
