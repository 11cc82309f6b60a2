"""The article of a page, read in one hand-written query (comments.selectors.
article_by_slug), is the instance the ORM's select_related/defer/annotate would give:
every loaded field equal, the Markdown source and search index deferred, the section
cached, `has_picks` right; one query; None for a slug nobody has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import selectors
from comments.models import Pick
from comments.services import comment_feature, comment_post

pytestmark = pytest.mark.django_db


def _orm(slug: str) -> Article:
    return (
        Article.objects.select_related("section")
        .defer("body", "search_vector")
        .annotate(has_picks=Exists(Pick.objects.filter(article=OuterRef("pk"))))
        .get(slug=slug)
    )


@pytest.mark.parametrize("picked", [False, True])
def test_it_is_the_orms_article_field_by_field(article, reader, editor, picked):
    if picked:
        comment = comment_post(author=reader, article=article, body="Worth reading")
        comment_feature(comment=comment, by=editor, featured=True)
    with CaptureQueriesContext(connection) as queries:
        fast = selectors.article_by_slug(article.slug, with_picks=True)
    assert len(queries) == 1
    slow = _orm(article.slug)
    assert fast is not None
    for field in Article._meta.concrete_fields:
        if field.attname in {"body", "search_vector"}:
            assert field.attname in fast.get_deferred_fields()
        else:
            assert getattr(fast, field.attname) == getattr(slow, field.attname), field.attname
    assert fast.has_picks is slow.has_picks is picked
    with CaptureQueriesContext(connection) as queries:
        assert fast.section == slow.section
        assert fast.section.name == slow.section.name
    assert len(queries) == 0  # the section came with the article
    assert not fast._state.adding and fast._state.db == "default"


def test_without_picks_it_asks_nothing_about_them(article):
    found = selectors.article_by_slug(article.slug)
    assert found is not None and found.pk == article.pk
    assert not hasattr(found, "has_picks")


def test_a_slug_nobody_has_is_none(article):
    assert selectors.article_by_slug("no-such-story") is None
    assert selectors.article_by_slug("") is None
    assert selectors.article_by_slug("'; DROP TABLE articles_article; --") is None
