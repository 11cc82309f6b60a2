"""Drop the comment indexes another index already covers.

article_id, author_id and root_id each lead a composite index (comment_article_path_idx,
comment_author_idx, comment_root_path_idx), which PostgreSQL uses for the column alone
too; import_ref is looked up by equality only, so its pattern index for LIKE served
nothing. Every comment written paid for four index entries more. The indexes are
dropped and the unique constraint on import_ref renamed, by name: Django's own way
(altering the fields) would drop and re-add the three foreign keys, checking every
row of the table again.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FORWARD = """
DROP INDEX IF EXISTS comments_comment_article_id_94fe60a2;
DROP INDEX IF EXISTS comments_comment_author_id_334ce9e2;
DROP INDEX IF EXISTS comments_comment_root_id_23b4c218;
DROP INDEX IF EXISTS comments_comment_import_ref_607a9df5_like;
ALTER TABLE comments_comment
    RENAME CONSTRAINT comments_comment_import_ref_key TO comment_import_ref_unique;
"""
BACKWARD = """
ALTER TABLE comments_comment
    RENAME CONSTRAINT comment_import_ref_unique TO comments_comment_import_ref_key;
CREATE INDEX comments_comment_import_ref_607a9df5_like
    ON comments_comment (import_ref varchar_pattern_ops);
CREATE INDEX comments_comment_root_id_23b4c218 ON comments_comment (root_id);
CREATE INDEX comments_comment_author_id_334ce9e2 ON comments_comment (author_id);
CREATE INDEX comments_comment_article_id_94fe60a2 ON comments_comment (article_id);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_text_direction"),
        ("comments", "0005_author_copy"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(FORWARD, BACKWARD)],
            state_operations=[
                migrations.AlterField(
                    model_name="comment",
                    name="article",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="comments",
                        to="articles.article",
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="author",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="comments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="import_ref",
                    field=models.CharField(blank=True, max_length=64, null=True),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="root",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="comments.comment",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="comment",
                    constraint=models.UniqueConstraint(
                        fields=("import_ref",), name="comment_import_ref_unique"
                    ),
                ),
            ],
        )
    ]
