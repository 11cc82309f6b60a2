from django.db import migrations

# The audit log must not be rewritten by anyone, the admin and the app included:
# the database refuses UPDATE and DELETE on any of its rows. TRUNCATE is left to
# the table's owner (the test runner empties tables with it between tests); in
# production the app's role should not own the tables (see docs/OPERATIONS.md).
FORWARD = """
CREATE FUNCTION moderation_action_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation_moderationaction is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER moderation_action_no_update_delete
    BEFORE UPDATE OR DELETE ON moderation_moderationaction
    FOR EACH ROW EXECUTE FUNCTION moderation_action_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS moderation_action_no_update_delete ON moderation_moderationaction;
DROP FUNCTION IF EXISTS moderation_action_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
