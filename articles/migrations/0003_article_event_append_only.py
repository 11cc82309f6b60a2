from django.db import migrations

# The article log is a record, not a working table: the database refuses UPDATE and
# DELETE on its rows (TRUNCATE stays with the table's owner, as for the moderation log).
FORWARD = """
CREATE FUNCTION articles_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'articles_articleevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_event_no_update_delete
    BEFORE UPDATE OR DELETE ON articles_articleevent
    FOR EACH ROW EXECUTE FUNCTION articles_event_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS articles_event_no_update_delete ON articles_articleevent;
DROP FUNCTION IF EXISTS articles_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_article_events_and_comment_window")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
