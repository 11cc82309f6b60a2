"""Reading a thread faster (rows as tuples through one binary cursor, each
comment's HTML remembered) costs no more queries than before: with the thread
cache off, a stranger's article page is the article, the page's top-level
comments and one read of their threads; the whole-thread page is the article and
one read; a signed-in reader adds only their own recommendations and whether
they have anything of their own in the thread."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.services import comment_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussed(article, reader, other_reader, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        first = comment_post(author=other_reader, article=article, body="One")
        comment_post(author=reader, article=article, body="Two", parent=first)
        comment_post(author=reader, article=article, body="Three")
    settings.THREAD_CACHE = False  # every request reads and renders its thread
    return article


def queries(client, url: str) -> list[str]:
    client.get(url)  # the session, the sections menu: what every page shares
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # Not the cache's own table (the tests' cache is the database; the site's, Redis).
    return [q["sql"] for q in ctx.captured_queries if "metoo_cache" not in q["sql"]]


def test_a_strangers_uncached_page_reads_the_article_and_the_thread_in_three_queries(
    client, discussed
):
    sql = queries(client, discussed.get_absolute_url())
    assert len(sql) == 3
    assert "articles_article" in sql[0]
    assert all("comments_comment" in q for q in sql[1:])


def test_a_strangers_uncached_whole_thread_is_two_queries(client, discussed):
    sql = queries(client, f"{discussed.get_absolute_url()}all/")
    assert len(sql) == 2
    assert "articles_article" in sql[0] and "comments_comment" in sql[1]


def test_a_signed_in_readers_uncached_thread_adds_only_their_own_queries(client, discussed, reader):
    client.force_login(reader)
    sql = queries(client, discussed.get_absolute_url())
    thread = [q for q in sql if "comments_comment" in q or "comments_recommendation" in q]
    # Anything of their own here?; the page's threads; their comments; which of
    # them this reader recommended.
    assert len(thread) == 4
    assert sum("comments_recommendation" in q for q in thread) == 2
