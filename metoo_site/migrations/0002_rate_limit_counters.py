from django.db import migrations

# The rate-limit counters of the database cache (core/ratelimit.py counts in them with
# one INSERT ... ON CONFLICT DO UPDATE per hit). A table of their own, beside the cache
# table made in 0001: Django's cache would read then write, and would cull them with
# its oldest keys. UNLOGGED: counts that last minutes need no write-ahead log; a crash
# of the server starts them again from zero.
CREATE = """
CREATE UNLOGGED TABLE metoo_rate_limit (
    key varchar(255) PRIMARY KEY,
    hits integer NOT NULL,
    expires double precision NOT NULL
);
CREATE INDEX metoo_rate_limit_expires ON metoo_rate_limit (expires);
"""


class Migration(migrations.Migration):
    dependencies = [("metoo_site", "0001_cache_table_and_site")]

    operations = [migrations.RunSQL(CREATE, "DROP TABLE IF EXISTS metoo_rate_limit")]
