from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The default cache is the database; creating its table in a migration means
    # `migrate` alone readies a fresh database (tests included).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS metoo_cache")


def name_site(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    domain = settings.SITE_URL.split("://", 1)[-1]
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )


class Migration(migrations.Migration):
    dependencies = [("sites", "0002_alter_domain_unique")]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
        migrations.RunPython(name_site, migrations.RunPython.noop),
    ]
