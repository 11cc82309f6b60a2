# An article's language and direction, from its dominant script (issue 15).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_people_in_the_story")]

    operations: list[migrations.operations.base.Operation] = []
