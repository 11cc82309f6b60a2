# Public profiles and notifications (issue 16); moderators may feature comments
# as editors' picks, as editors may: the role groups get their permissions again.
from django.db import migrations, models


def sync_groups(apps, schema_editor):
    from accounts.roles import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_account_deletion_and_blocked_domains"),
        ("comments", "0003_readers"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="profile_public",
            field=models.BooleanField(
                default=True, verbose_name="show my profile page to everyone"
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="notifications_seen_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(sync_groups, migrations.RunPython.noop),
    ]
