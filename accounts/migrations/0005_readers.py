# Public profiles and notifications (issue 16).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_account_deletion_and_blocked_domains")]

    operations: list[migrations.operations.base.Operation] = []
