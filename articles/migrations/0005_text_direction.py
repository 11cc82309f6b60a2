# An article's language and direction, from its dominant script (issue 15): each
# text's and the piece's, with their checks, filled for every existing article; the
# body's HTML written again (numbers isolated), and the search index built again
# over the folded texts (articles.search).
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models

from articles.search import folded
from articles.services import render_markdown
from core.script import language_of

BATCH = 500
FIELDS = ("title_lang", "standfirst_lang", "body_lang", "language")


def backfill(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    last = 0
    while True:
        batch = list(
            Article.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "title", "standfirst", "body", "body_html")[:BATCH]
        )
        if not batch:
            break
        for a in batch:
            a.title_lang = language_of(a.title)
            a.standfirst_lang = language_of(a.standfirst)
            a.body_lang = language_of(a.body)
            a.language = language_of("\n".join((a.title, a.standfirst, a.body)))
            # Numbers and @names isolated in the body's HTML (articles.services).
            a.body_html = render_markdown(a.body)
        Article.objects.bulk_update(batch, (*FIELDS, "body_html"), batch_size=BATCH)
        last = batch[-1].pk
    Article.objects.update(
        search_vector=SearchVector(folded("title"), weight="A", config="english")
        + SearchVector(folded("standfirst"), weight="B", config="english")
        + SearchVector(folded("body"), weight="C", config="english")
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_people_in_the_story")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="title_lang",
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
            model_name="article",
            name="standfirst_lang",
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
            model_name="article",
            name="body_lang",
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
            model_name="article",
            name="language",
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
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("title_lang__in", ["", "en", "ur"])),
                name="article_title_lang_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("standfirst_lang__in", ["", "en", "ur"])),
                name="article_standfirst_lang_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("body_lang__in", ["", "en", "ur"])),
                name="article_body_lang_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("language__in", ["", "en", "ur"])),
                name="article_language_valid",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
