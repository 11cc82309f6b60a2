"""The article page at scale: what a page costs in SQL must not depend on how
many comments the article has, nor on how deep into the thread the page is."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from comments import selectors
from comments.cache import thread_version
from comments.importers.disqus import import_disqus
from comments.models import Comment, CommentStatus
from tests.comments.datasets import make_export
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("scale")
    files = {}
    for slug, posts, seed in (("small-thread", 10, 1), ("big-thread", 5000, 2)):
        files[slug] = folder / f"{slug}.xml"
        make_export(
            files[slug], "--posts-per-thread", str(posts), "--slug", slug, "--seed", str(seed)
        )
    return files


@pytest.fixture
def small_and_big(exports) -> tuple[Article, Article]:
    SectionFactory(slug="archive", name="Archive")
    for path in exports.values():
        import_disqus(source=path, section="archive")
    small = Article.objects.get(slug="small-thread")
    big = Article.objects.get(slug="big-thread")
    assert small.comments.count() == 10
    assert big.comments.count() == 5000
    # The import makes each thread's cache version after its commit, which a test
    # transaction never reaches: make them here, so measured pages render cold
    # without paying for a version's first creation.
    thread_version(small.pk), thread_version(big.pk)
    return small, big


def warm_up(client) -> None:
    """Fill what every page shares (the sections menu in the cache, the session)
    through another page, so the measured article pages themselves stay cold."""
    assert client.get("/").status_code == 200


def queries_for(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def first_body(article: Article) -> str:
    return (
        Comment.objects.filter(article=article, parent=None, status=CommentStatus.PUBLISHED)
        .order_by("created_at", "id")
        .values_list("body", flat=True)[0]
    )


def test_article_page_costs_the_same_queries_for_10_and_5000_comments(client, small_and_big):
    small, big = small_and_big
    warm_up(client)

    small_count, small_html = queries_for(client, small.get_absolute_url())
    big_count, big_html = queries_for(client, big.get_absolute_url())

    assert big_count == small_count
    assert first_body(small).split("\n")[0][:40] in small_html.replace("&#x27;", "'")
    assert first_body(big).split("\n")[0][:40] in big_html.replace("&#x27;", "'")


def test_signed_in_reader_pays_the_same_queries_on_small_and_big_threads(
    client, reader, small_and_big
):
    small, big = small_and_big
    client.force_login(reader)
    warm_up(client)

    small_count, _ = queries_for(client, small.get_absolute_url())
    big_count, _ = queries_for(client, big.get_absolute_url())

    assert big_count == small_count


def test_a_late_page_of_a_big_thread_costs_the_same_queries_as_the_first(
    client, reader, small_and_big
):
    _, big = small_and_big
    tops = list(
        Comment.objects.filter(article=big, parent=None)
        .exclude(status=CommentStatus.REJECTED)
        .order_by("created_at", "id")
    )
    assert len(tops) > 30 * 50  # enough top-level threads for 30 pages and more
    # The cursor the page itself would have emitted after 30 pages of 50.
    cursor = selectors.encode_cursor(tops[30 * 50 - 1], selectors.Sort.OLDEST)
    url = big.get_absolute_url()

    for user in (None, reader):
        if user is not None:
            client.force_login(user)
        warm_up(client)
        first_count, _ = queries_for(client, url)
        late_count, late_html = queries_for(client, f"{url}?after={cursor}")
        assert late_count == first_count
        assert f'id="c{tops[30 * 50].pk}"' in late_html
