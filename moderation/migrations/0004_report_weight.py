# Each report weighs its reporter's standing (issue 13). Reports filed before this
# counted fully toward hiding a comment; they keep that weight (1.00).

from decimal import Decimal

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0003_action_codes"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="weight",
            field=models.DecimalField(decimal_places=2, default=Decimal("1.00"), max_digits=3),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="report",
            constraint=models.CheckConstraint(
                condition=models.Q(("weight__gte", 0), ("weight__lte", Decimal("2.00"))),
                name="report_weight_range",
            ),
        ),
    ]
