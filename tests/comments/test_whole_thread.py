"""The whole-thread page: every comment of an article on one page, in thread
order, with the article page's markup, access rules and caching."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, ArticleStatus
from comments import services as comment_services
from comments.cache import thread_version
from comments.importers.disqus import import_disqus
from comments.services import comment_post
from moderation import services as moderation
from tests.comments.datasets import make_export
from tests.factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def all_url(article: Article) -> str:
    return reverse("article_all", kwargs={"slug": article.slug})


def comment_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li id="c(\d+)"', html)]


@pytest.fixture
def conversation(settings, article, reader, other_reader, moderator):
    """Four threads (more than a page of 2), with a removed comment that keeps its
    place, a deleted one with nothing under it, and a reply deep enough to be capped."""
    settings.COMMENTS_PAGE_SIZE = 2
    settings.COMMENT_DISPLAY_DEPTH = 2
    post = comment_post
    first = post(author=reader, article=article, body="First thread")
    answer = post(author=other_reader, article=article, body="An answer", parent=first)
    deep = post(author=reader, article=article, body="Deeper", parent=answer)
    deepest = post(author=other_reader, article=article, body="Deepest", parent=deep)
    removed = post(author=other_reader, article=article, body="Rude words here")
    kept = post(author=reader, article=article, body="Still here", parent=removed)
    moderation.comment_remove(
        comment=removed, by=moderator, expected_version=removed.version, reason="off_topic"
    )
    gone = post(author=other_reader, article=article, body="Gone soon")
    comment_services.comment_delete(comment=gone, by=other_reader)
    last = post(author=other_reader, article=article, body="Last thread")
    return {
        "order": [first, answer, deep, deepest, removed, kept, last],
        "deepest": deepest,
        "removed": removed,
        "gone": gone,
    }


def test_whole_thread_lists_every_visible_comment_in_path_order(client, article, conversation):
    html = client.get(all_url(article)).content.decode()
    assert comment_ids(html) == [c.pk for c in conversation["order"]]
    assert "Show more comments" not in html


def test_whole_thread_keeps_placeholders_and_names_whom_capped_replies_answer(
    client, article, conversation
):
    html = client.get(all_url(article)).content.decode()
    assert "This comment was removed by a moderator." in html
    assert "Rude words here" not in html
    assert f'id="c{conversation["gone"].pk}"' not in html  # deleted, nothing under it
    deepest = html[html.index(f'id="c{conversation["deepest"].pk}"') :]
    assert '<p class="replying-to">@<bdi>Sana Reader</bdi></p>' in deepest[: deepest.index("</li>")]
    assert '<div class="comment-body" lang="en" dir="ltr">' in html


def test_article_page_links_to_the_whole_thread_and_back(client, article, conversation):
    paged = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{all_url(article)}#comments"' in paged
    assert "All 6 comments on one page" in paged
    whole = client.get(all_url(article)).content.decode()
    assert f'href="{article.get_absolute_url()}#comments">Back to the paged view' in whole


def test_whole_thread_shows_own_pending_comment_only_to_its_author(
    client, premod_article, reader, other_reader
):
    comment_post(author=reader, article=premod_article, body="Waiting my turn")
    client.force_login(reader)
    html = client.get(all_url(premod_article)).content.decode()
    assert "Waiting my turn" in html and "Awaiting moderation" in html
    client.force_login(other_reader)
    assert "Waiting my turn" not in client.get(all_url(premod_article)).content.decode()


def test_whole_thread_of_a_draft_is_not_found_except_for_editors(client, editor):
    draft = ArticleFactory(status=ArticleStatus.DRAFT, published_at=None, slug="a-draft")
    assert client.get(all_url(draft)).status_code == 404
    client.force_login(editor)
    assert client.get(all_url(draft)).status_code == 200


def test_second_whole_thread_request_reads_no_comments(client, article, conversation):
    client.get(all_url(article))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(all_url(article)).status_code == 200
    assert not any("comments_comment" in q["sql"] for q in ctx.captured_queries)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("whole")
    files = {}
    for slug, posts, seed in (("ten-posts", 10, 1), ("two-thousand-posts", 2000, 2)):
        files[slug] = folder / f"{slug}.xml"
        make_export(
            files[slug], "--posts-per-thread", str(posts), "--slug", slug, "--seed", str(seed)
        )
    return files


def test_whole_thread_costs_the_same_queries_for_10_and_2000_comments(client, reader, exports):
    SectionFactory(slug="archive", name="Archive")
    for path in exports.values():
        import_disqus(source=path, section="archive")
    small = Article.objects.get(slug="ten-posts")
    big = Article.objects.get(slug="two-thousand-posts")
    thread_version(small.pk), thread_version(big.pk)  # made after the import's commit
    assert client.get("/").status_code == 200  # shared per-site reads, session

    for user in (None, reader):
        if user is not None:
            client.force_login(user)
        counts = []
        for article in (small, big):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(all_url(article))
            assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1]
    assert len(comment_ids(response.content.decode())) > 1900
