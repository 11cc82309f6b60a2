# A display name's direction, from its dominant script (issue 15).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_readers")]

    operations: list[migrations.operations.base.Operation] = []
