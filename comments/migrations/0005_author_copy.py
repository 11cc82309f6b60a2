# Each comment carries a copy of how its author is shown (name, the name's
# language, whether it links to a public profile), kept by the database itself, so
# a thread is read without joining the accounts (issue 18: that join read every
# account on every uncached whole thread). Two triggers keep the copy true whatever
# writes: the ORM, the Disqus import's COPY, the admin, a queryset update or SQL.
from django.db import migrations, models

# A comment's copy comes from its author's row on every insert, and on an update
# that names the author or the copy (a full save() sends the model's stale ""):
# whatever the writer sent is replaced. FOR SHARE waits for a rename that is in
# flight, so a comment written beside a rename gets the new name: the rename's
# own trigger (below) cannot see a comment that is not committed yet.
FORWARD = """
CREATE FUNCTION comments_author_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT u.display_name, u.display_name_lang,
           u.profile_public AND u.is_active AND u.deleted_at IS NULL
      INTO NEW.author_name, NEW.author_name_lang, NEW.author_public
      FROM accounts_user u WHERE u.id = NEW.author_id FOR SHARE;
    RETURN NEW;
END
$$;
CREATE TRIGGER comments_comment_author_copy
    BEFORE INSERT OR UPDATE OF author_id, author_name, author_name_lang, author_public
    ON comments_comment FOR EACH ROW EXECUTE FUNCTION comments_author_copy();

CREATE FUNCTION comments_author_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE comments_comment
       SET author_name = NEW.display_name, author_name_lang = NEW.display_name_lang,
           author_public = NEW.profile_public AND NEW.is_active AND NEW.deleted_at IS NULL
     WHERE author_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER accounts_user_comment_copies
    AFTER UPDATE OF display_name, display_name_lang, profile_public, is_active, deleted_at
    ON accounts_user FOR EACH ROW
    WHEN (OLD.display_name IS DISTINCT FROM NEW.display_name
          OR OLD.display_name_lang IS DISTINCT FROM NEW.display_name_lang
          OR (OLD.profile_public AND OLD.is_active AND OLD.deleted_at IS NULL)
             IS DISTINCT FROM (NEW.profile_public AND NEW.is_active AND NEW.deleted_at IS NULL))
    EXECUTE FUNCTION comments_author_changed();

UPDATE comments_comment c
   SET author_name = u.display_name, author_name_lang = u.display_name_lang,
       author_public = u.profile_public AND u.is_active AND u.deleted_at IS NULL
  FROM accounts_user u WHERE u.id = c.author_id;
"""
BACKWARD = """
DROP TRIGGER IF EXISTS accounts_user_comment_copies ON accounts_user;
DROP FUNCTION IF EXISTS comments_author_changed();
DROP TRIGGER IF EXISTS comments_comment_author_copy ON comments_comment;
DROP FUNCTION IF EXISTS comments_author_copy();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_text_direction"),
        ("accounts", "0006_text_direction"),  # the accounts' display_name_lang
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="author_name",
            field=models.CharField(db_default="", default="", editable=False, max_length=40),
        ),
        migrations.AddField(
            model_name="comment",
            name="author_name_lang",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Undetermined (no letters)"),
                    ("en", "English (Latin script)"),
                    ("ur", "Urdu (Arabic script)"),
                ],
                db_default="",
                default="",
                editable=False,
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="author_public",
            field=models.BooleanField(db_default=False, default=False, editable=False),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(("author_name_lang__in", ["", "en", "ur"])),
                name="comment_author_name_lang_valid",
            ),
        ),
    ]
