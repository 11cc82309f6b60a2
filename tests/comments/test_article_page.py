"""The comment section of the article page: what each reader sees, page by page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import CommentsMode
from comments.services import comment_post
from tests.factories import ArticleFactory, UserFactory, comment_form

pytestmark = pytest.mark.django_db


def thread_of(article, authors, depth, now=None):
    """A chain of replies `depth` deep, alternating authors."""
    now = now or timezone.now()
    parent = None
    chain = []
    for level in range(depth + 1):
        parent = comment_post(
            author=authors[level % len(authors)],
            article=article,
            body=f"Level {level} on {article.pk}",
            parent=parent,
            now=now,
        )
        chain.append(parent)
    return chain


def test_heading_counts_the_comments(client, reader, other_reader, article):
    top = comment_post(author=reader, article=article, body="One")
    comment_post(author=other_reader, article=article, body="Two", parent=top)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h2 id="comments-heading">2 comments</h2>' in html


def test_replies_nest_to_depth_five_and_deeper_ones_say_whom_they_answer(
    client, reader, other_reader, article
):
    chain = thread_of(article, [reader, other_reader], depth=7)
    html = client.get(article.get_absolute_url()).content.decode()

    assert f'id="c{chain[5].pk}" class="comment depth-5' in html
    assert f'id="c{chain[7].pk}" class="comment depth-5' in html
    deepest = html[html.index(f'id="c{chain[7].pk}"') :]
    assert '<p class="replying-to">@<bdi>Sana Reader</bdi></p>' in deepest[: deepest.index("</li>")]
    assert "depth-6" not in html


def test_comment_body_is_plain_text_with_safe_links_and_its_own_direction(client, reader, article):
    comment_post(
        author=reader,
        article=article,
        body="<script>alert(1)</script> یہ درست ہے https://example.org/x",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html
    # Mostly Latin letters (the tags typed as text count): English, left to right.
    assert '<div class="comment-body" lang="en" dir="ltr">' in html
    assert 'rel="nofollow ugc noopener"' in html


def test_times_are_shown_in_the_site_time_zone_inside_a_time_element(client, reader, article):
    when = datetime(2018, 11, 13, 4, 47, tzinfo=UTC)  # 09:47 in Karachi
    article.published_at = when - timedelta(hours=1)
    article.comments_close_at = None
    article.save()
    comment_post(author=reader, article=article, body="Then", now=when)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<time datetime="2018-11-13T04:47:00+00:00">Nov 13, 2018 09:47am</time>' in html


def test_own_pending_comment_is_shown_to_its_author_only(
    client, reader, other_reader, premod_article
):
    comment_post(author=reader, article=premod_article, body="Held for review")

    client.force_login(reader)
    html = client.get(premod_article.get_absolute_url()).content.decode()
    assert "Held for review" in html
    assert "Awaiting moderation" in html

    client.force_login(other_reader)
    assert "Held for review" not in client.get(premod_article.get_absolute_url()).content.decode()
    client.logout()
    assert "Held for review" not in client.get(premod_article.get_absolute_url()).content.decode()


def test_closed_article_says_so_and_offers_no_reply(client, reader, other_reader):
    closed = ArticleFactory(comments_mode=CommentsMode.OPEN)
    comment_post(author=other_reader, article=closed, body="Before closing")
    closed.comments_mode = CommentsMode.CLOSED
    closed.save()
    client.force_login(reader)
    html = client.get(closed.get_absolute_url()).content.decode()
    assert "Comments are closed on this article." in html
    assert "Post comment" not in html
    assert "/form/reply/" not in html


def test_premoderated_article_says_comments_are_reviewed(client, reader, premod_article):
    client.force_login(reader)
    html = client.get(premod_article.get_absolute_url()).content.decode()
    assert "reviewed by a moderator before they appear" in html


def test_reply_link_opens_the_form_under_the_comment_without_javascript(
    client, reader, other_reader, article
):
    top = comment_post(author=other_reader, article=article, body="Answer me")
    client.force_login(reader)
    response = client.get(f"/comments/{top.pk}/?open=reply", follow=True)
    html = response.content.decode()
    slot = html[html.index(f'id="slot-{top.pk}"') :]
    assert f'<textarea name="body" id="reply-body-{top.pk}"' in slot[:2000]
    assert "Reply to <strong>M. Emad</strong>" in html


def test_anonymous_reader_is_offered_sign_in_to_reply(client, other_reader, article):
    comment_post(author=other_reader, article=article, body="Answer me")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Sign in to reply" in html


def test_reply_to_a_comment_lands_on_the_reply(client, reader, other_reader, article):
    top = comment_post(author=other_reader, article=article, body="Answer me")
    client.force_login(reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_form("Answered", parent=top.pk)
    )
    reply = top.replies.get()
    assert response.status_code == 302
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0].endswith(f"#c{reply.pk}")
    assert "Answered" in page.content.decode()


# ---------------------------------------------------------------- paging and sort


@pytest.fixture
def many_threads(article, settings):
    settings.COMMENTS_PAGE_SIZE = 3
    authors = [UserFactory() for _ in range(3)]
    base = timezone.now() - timedelta(hours=1)
    return [
        comment_post(
            author=authors[i % 3],
            article=article,
            body=f"Thread number {i}",
            now=base + timedelta(minutes=i),
        )
        for i in range(7)
    ]


def test_show_more_is_a_plain_link_and_an_htmx_fragment(client, article, many_threads):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Thread number 2" in html and "Thread number 3" not in html
    link = re.search(r'<li class="more">\s*<a [^>]*href="([^"]+)"[^>]*data-hx-get="([^"]+)"', html)
    assert link, "show more needs both a plain link and an htmx request"

    plain = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert "Thread number 3" in plain and "Thread number 2" not in plain

    fragment = client.get(
        link.group(2).replace("&amp;", "&"), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment
    assert "Thread number 3" in fragment and "Thread number 5" in fragment
    assert 'class="more"' in fragment  # the next button replaces this one


def test_permalink_opens_a_later_page_at_the_comment(client, article, many_threads):
    target = many_threads[5]
    response = client.get(reverse("comments:permalink", args=[target.pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"#c{target.pk}")
    assert f'id="c{target.pk}"' in html
    assert "Back to the first comments" in html


@pytest.mark.parametrize("sort", ["oldest", "newest", "recommended"])
def test_permalink_works_in_every_remembered_order(client, reader, article, many_threads, sort):
    reader.comment_sort = sort
    reader.save()
    client.force_login(reader)
    for target in many_threads:
        html = client.get(f"/comments/{target.pk}/", follow=True).content.decode()
        assert f'id="c{target.pk}"' in html, (sort, target.body)


def test_sort_by_newest_is_remembered_on_the_account(client, reader, article, many_threads):
    client.force_login(reader)
    client.get(article.get_absolute_url() + "?sort=newest")
    reader.refresh_from_db()
    assert reader.comment_sort == "newest"
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.index("Thread number 6") < html.index("Thread number 5")
    assert '<a href="?sort=newest#comments" aria-current="true">' in html


def test_sort_is_remembered_in_a_cookie_for_anonymous_readers(client, article, many_threads):
    response = client.get(article.get_absolute_url() + "?sort=newest")
    assert response.cookies["comment_sort"].value == "newest"
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Thread number 6" in html and "Thread number 0" not in html


def test_unknown_sort_falls_back_to_oldest_and_is_not_remembered(client, reader, article):
    client.force_login(reader)
    response = client.get(article.get_absolute_url() + "?sort=<script>")
    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.comment_sort == "oldest"


@pytest.mark.parametrize("after", ["garbage", "1.2.3", "9" * 40 + ".1", "-5.-5", ".."])
def test_forged_cursor_never_gives_a_500(client, article, many_threads, after):
    assert client.get(article.get_absolute_url(), {"after": after}).status_code == 200


def test_most_recommended_order_puts_recommended_threads_first(
    client, reader, article, many_threads
):
    from comments.services import recommendation_toggle

    recommendation_toggle(comment=many_threads[4], by=reader)
    html = client.get(article.get_absolute_url() + "?sort=recommended").content.decode()
    assert html.index("Thread number 4") < html.index("Thread number 6")


# ---------------------------------------------------------------- speed


def test_the_page_costs_the_same_queries_for_a_small_and_a_large_thread(
    client, reader, other_reader
):
    small = ArticleFactory()
    large = ArticleFactory()
    thread_of(small, [reader, other_reader], depth=1)
    for _ in range(6):
        thread_of(large, [reader, other_reader], depth=7)
    client.force_login(reader)
    client.get(small.get_absolute_url())  # warm caches (sections, session)

    with CaptureQueriesContext(connection) as small_q:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as large_q:
        client.get(large.get_absolute_url())

    assert len(large_q) == len(small_q)
