"""Rendered thread HTML is reused until the thread changes, and nobody ever sees
a stale thread after a change, nor anybody else's pending comments, controls or
CSRF token. Changes are made through the services; their after-commit version
bump is run with pytest-django's on-commit capture, as a real commit would."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import CommentStatus
from comments.services import comment_edit, comment_post, recommendation_toggle
from moderation import services as moderation
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(article, other_reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = comment_post(author=other_reader, article=article, body="The first view")
        comment_post(author=other_reader, article=article, body="A reply", parent=first)
    return first


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """Run a change and commit it, as far as the thread cache can tell."""

    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def comment_queries(client, article) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(article.get_absolute_url()).status_code == 200
    return sum("comments_comment" in q["sql"] for q in ctx.captured_queries)


def test_second_anonymous_request_reuses_the_rendered_thread(client, article, thread):
    assert comment_queries(client, article) > 0
    assert comment_queries(client, article) == 0


def test_second_signed_in_request_reuses_the_rendered_thread(client, reader, article, thread):
    client.force_login(reader)
    first = comment_queries(client, article)
    # Only the one query asking whether this reader has anything of their own here.
    assert comment_queries(client, article) == 1 < first


def test_a_new_comment_shows_on_the_next_page(client, article, thread, reader, change):
    assert "Fresh news" not in page(client, article)
    change(comment_post, author=reader, article=article, body="Fresh news")
    assert "Fresh news" in page(client, article)


def test_an_approval_shows_the_comment_on_the_next_page(
    client, premod_article, reader, moderator, change
):
    held = change(comment_post, author=reader, article=premod_article, body="Held for a while")
    assert held.status == CommentStatus.PENDING
    assert "Held for a while" not in page(client, premod_article)
    change(moderation.comment_approve, comment=held, by=moderator, expected_version=held.version)
    assert "Held for a while" in page(client, premod_article)


def test_a_removal_hides_the_comment_on_the_next_page(client, article, thread, moderator, change):
    assert "The first view" in page(client, article)
    change(
        moderation.comment_remove,
        comment=thread,
        by=moderator,
        expected_version=thread.version,
        reason="off_topic",
    )
    html = page(client, article)
    assert "The first view" not in html
    assert "This comment was removed by a moderator." in html  # its reply keeps its place


def test_an_edit_shows_the_new_text_on_the_next_page(client, article, reader, change):
    mine = change(comment_post, author=reader, article=article, body="Before the edit")
    assert "Before the edit" in page(client, article)
    change(comment_edit, comment=mine, by=reader, body="After the edit", now=timezone.now())
    html = page(client, article)
    assert "After the edit" in html and "Before the edit" not in html


def test_a_recommendation_shows_its_count_on_the_next_page(client, article, thread, reader, change):
    assert "recommend-count" not in page(client, article)
    change(recommendation_toggle, comment=thread, by=reader)
    assert '<span class="recommend-count">1 recommends</span>' in page(client, article)


def test_an_authors_deletion_shows_on_the_next_page(client, article, thread, other_reader, change):
    change(services.comment_delete, comment=thread, by=other_reader)
    html = page(client, article)
    assert "The first view" not in html
    assert "This comment was deleted by its author." in html


def test_own_pending_comment_shows_for_its_author_but_not_in_the_shared_page(
    client, premod_article, reader, other_reader, change
):
    change(comment_post, author=other_reader, article=premod_article, body="Not mine")
    client.force_login(other_reader)
    page(client, premod_article)  # fills the shared signed-in rendering first
    change(comment_post, author=reader, article=premod_article, body="My held thought")

    client.force_login(reader)
    mine = page(client, premod_article)
    assert "My held thought" in mine and "Awaiting moderation" in mine

    for viewer in (other_reader, UserFactory(display_name="Third Reader")):
        client.force_login(viewer)
        assert "My held thought" not in page(client, premod_article)
    client.logout()
    assert "My held thought" not in page(client, premod_article)


def test_two_readers_get_their_own_csrf_token_and_nobody_elses_controls(
    client, article, thread, other_reader, reader
):
    first_reader = UserFactory(display_name="First Reader")
    tokens = []
    for viewer in (first_reader, reader):
        client.logout()
        client.force_login(viewer)
        html = page(client, article)
        assert "csrf-input" not in html  # the sentinel never leaves the server
        found = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert found
        tokens.append(found)
        # The thread is other_reader's: readers may recommend and report, not edit.
        assert f"/comments/{thread.pk}/recommend/" in html
        assert f"/comments/{thread.pk}/form/report/" in html
        assert f"/comments/{thread.pk}/form/edit/" not in html
        assert f"/comments/{thread.pk}/form/delete/" not in html
    assert not tokens[0] & tokens[1]

    client.force_login(other_reader)
    html = page(client, article)
    assert f"/comments/{thread.pk}/form/delete/" in html
    assert f"/comments/{thread.pk}/recommend/" not in html


def test_a_readers_recommendation_is_pressed_for_them_only(client, article, thread, reader, change):
    change(recommendation_toggle, comment=thread, by=reader)
    client.force_login(reader)
    assert 'aria-pressed="true"' in page(client, article)
    client.force_login(UserFactory(display_name="Someone Else"))
    html = page(client, article)
    assert 'aria-pressed="true"' not in html and 'aria-pressed="false"' in html


def test_the_show_more_fragment_comes_from_the_same_cache_as_the_page(
    client, article, other_reader, change, settings
):
    settings.COMMENTS_PAGE_SIZE = 2
    for n in range(3):
        change(comment_post, author=other_reader, article=article, body=f"Thread number {n}")
    html = page(client, article)
    after = re.search(r"after=([0-9.]+)", html).group(1)
    url = f"{article.get_absolute_url()}?sort=oldest&after={after}&fragment=thread-page"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Thread number 2" in fragment and "<html" not in fragment
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert again == fragment
    assert not any("comments_comment" in q["sql"] for q in ctx.captured_queries)


def test_with_the_thread_cache_off_every_request_renders_and_nothing_is_stored(
    client, reader, article, thread, settings
):
    from django.core.cache import cache

    settings.THREAD_CACHE = False
    cache.clear()
    assert comment_queries(client, article) > 0
    assert comment_queries(client, article) > 0
    client.force_login(reader)
    html = page(client, article)
    assert "The first view" in html
    assert "A reply" in html
    # The reader's own CSRF token is in the reply form, not the shared placeholder.
    assert "csrf-input" not in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[^"]+"', html)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM metoo_cache WHERE cache_key LIKE '%%thread-%%'")
        assert cursor.fetchone()[0] == 0


def test_a_process_serves_a_shared_rendering_from_memory_until_the_thread_changes(
    client, article, thread, reader, change, monkeypatch
):
    """The second request finds the rendering in this process's memory without
    fetching it from the shared cache; a change still shows at once, because the
    thread version is read from the shared cache on every request."""
    from comments import cache as thread_cache

    page(client, article)
    fetched = []
    real_get = thread_cache.cache.get

    def counting_get(key, *args, **kwargs):
        fetched.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(thread_cache.cache, "get", counting_get)
    assert "The first view" in page(client, article)
    assert any(key.startswith("thread-version:") for key in fetched)
    assert not [key for key in fetched if key.startswith("thread-html")]
    change(comment_post, author=reader, article=article, body="Posted after the memo")
    assert "Posted after the memo" in page(client, article)


def test_recent_renderings_stay_within_their_size_and_drop_the_oldest():
    from comments.cache import _RecentRenderings

    memo = _RecentRenderings(max_bytes=10)
    memo.put("a", (b"1234", True))
    memo.put("b", (b"1234", True))
    assert memo.get("a") == (b"1234", True)  # now the most recent
    memo.put("c", (b"1234", False))
    assert memo.get("b") is None
    assert memo.get("a") is not None and memo.get("c") is not None
    memo.put("huge", (b"x" * 11, True))
    assert memo.get("huge") is None


def test_two_page_sizes_never_share_a_rendering(
    client, reader, article, other_reader, change, settings
):
    """The thread cache's key names everything the HTML depends on: a server showing
    2 threads a page and one showing 3 (as `make bench` once ran side by side,
    sharing one cache) each get their own page, not the other's rendering."""
    for n in range(4):
        change(comment_post, author=other_reader, article=article, body=f"Thread number {n}")
    client.force_login(reader)  # a session: the thread cache alone, no page kept whole
    settings.COMMENTS_PAGE_SIZE = 3
    assert "Thread number 2" in page(client, article)
    settings.COMMENTS_PAGE_SIZE = 2
    html = page(client, article)
    assert "Thread number 1" in html
    assert "Thread number 2" not in html
    client.logout()
    assert "Thread number 2" not in page(client, article)
    settings.COMMENTS_PAGE_SIZE = 3
    assert "Thread number 2" in page(client, article)
