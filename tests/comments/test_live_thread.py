"""The live thread's check: the article's comment count, answered from the
thread's version (a 304 without reading the database while nothing changed)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import ArticleStatus
from comments.services import comment_post
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def live(article):
    return reverse("comments:live", args=[article.pk])


def test_the_count_comes_with_the_threads_version_as_etag(client, reader, article):
    comment_post(author=reader, article=article, body="First")
    response = client.get(live(article))
    assert response.status_code == 200
    assert response.json() == {"count": 1}
    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "no-cache"


def test_an_unchanged_thread_is_a_304_without_a_database_read(client, reader, article):
    comment_post(author=reader, article=article, body="First")
    etag = client.get(live(article))["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(live(article), headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert [q["sql"] for q in ctx.captured_queries if "metoo_cache" not in q["sql"]] == []


def test_a_new_comment_changes_the_answer(
    client, reader, other_reader, article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=reader, article=article, body="First")
    etag = client.get(live(article))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=other_reader, article=article, body="Second")
    response = client.get(live(article), headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json() == {"count": 2}


def test_an_unpublished_article_has_no_live_count(client):
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None)
    assert client.get(live(draft)).status_code == 404


def test_the_article_page_names_where_to_ask(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'data-live-url="{live(article)}"' in html
    assert 'class="live-notice" role="status" aria-live="polite" hidden' in html
