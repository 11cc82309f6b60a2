# Appeals, statements of reasons, undo and legal holds (issue 14).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("moderation", "0006_people_action_codes")]

    operations: list[migrations.operations.base.Operation] = []
