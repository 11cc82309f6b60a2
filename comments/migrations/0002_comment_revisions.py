# Every edit keeps the previous text (issue 14).
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

# Revisions are evidence: the database refuses to delete one, and refuses every
# UPDATE except a redaction (the text blanked and `redacted_at` set, once, with
# nothing else changed), which is how an author-deleted comment's earlier text goes
# when no legal hold keeps it. TRUNCATE is left to the table's owner, as for the
# audit log (moderation/migrations/0002_audit_append_only.py).
FORWARD = """
CREATE FUNCTION comments_revision_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.redacted_at IS NULL AND NEW.redacted_at IS NOT NULL
       AND NEW.body = ''
       AND NEW.id = OLD.id AND NEW.comment_id = OLD.comment_id
       AND NEW.number = OLD.number AND NEW.status = OLD.status
       AND NEW.written_at = OLD.written_at AND NEW.replaced_at = OLD.replaced_at
       AND NEW.after_report = OLD.after_report THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'comments_commentrevision is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER comments_revision_no_update_delete
    BEFORE UPDATE OR DELETE ON comments_commentrevision
    FOR EACH ROW EXECUTE FUNCTION comments_revision_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS comments_revision_no_update_delete ON comments_commentrevision;
DROP FUNCTION IF EXISTS comments_revision_append_only();
"""


def blank_author_deleted(apps, schema_editor):
    """Comments their authors deleted (here, or on Disqus before an import) kept
    their text; from now on a deleted comment keeps none. Not undone on reversal."""
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.filter(status="deleted_by_author").exclude(body="", body_html="").update(
        body="", body_html=""
    )


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="CommentRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveIntegerField()),
                ("body", models.TextField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Awaiting moderation"),
                            ("published", "Published"),
                            ("rejected", "Rejected"),
                            ("removed", "Removed"),
                            ("deleted_by_author", "Deleted by its author"),
                        ],
                        max_length=20,
                    ),
                ),
                ("written_at", models.DateTimeField()),
                ("replaced_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("after_report", models.BooleanField(default=False)),
                ("redacted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "comment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="revisions",
                        to="comments.comment",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("comment", "number"), name="revision_number_once"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            (
                                "status__in",
                                [
                                    "pending",
                                    "published",
                                    "rejected",
                                    "removed",
                                    "deleted_by_author",
                                ],
                            )
                        ),
                        name="revision_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("redacted_at__isnull", True), ("body", ""), _connector="OR"
                        ),
                        name="revision_redacted_is_blank",
                    ),
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.RunPython(blank_author_deleted, migrations.RunPython.noop),
    ]
