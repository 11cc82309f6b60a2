"""The article page for a reader on a slow, metered line: sent compressed in the
encoding the browser accepts, answered 304 when the browser's copy is current,
kept whole for visitors without a session (so a kept copy costs no rendering and
no compression), and never shared with a reader who has anything of their own on
the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import lifecycle
from articles import services as article_services
from comments import threadcache
from comments.models import CommentStatus
from comments.services import comment_post, recommendation_toggle
from core import compression
from moderation import services as moderation

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.fixture
def change(django_capture_on_commit_callbacks):
    """Run a change and commit it, as far as the thread cache can tell."""

    def run(fn, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


@pytest.fixture
def discussed(article, other_reader, change):
    first = change(comment_post, author=other_reader, article=article, body="The first view")
    change(comment_post, author=other_reader, article=article, body="A reply", parent=first)
    return article


def get(client, url, encoding="", **headers):
    if encoding:
        headers["HTTP_ACCEPT_ENCODING"] = encoding
    return client.get(url, **headers)


def text(response) -> str:
    body = compression.decompress(response.content, response.get("Content-Encoding", ""))
    return body.decode()


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",")}


# ---------------------------------------------------------------- compression


@pytest.mark.parametrize(
    ("accepts", "sent"),
    [(BROWSER, "br"), ("gzip, deflate", "gzip"), ("", None), ("br;q=0, gzip", "gzip")],
)
def test_a_strangers_article_page_comes_in_the_encoding_the_browser_accepts(
    client, discussed, accepts, sent
):
    response = get(client, discussed.get_absolute_url(), accepts)
    assert response.status_code == 200
    assert response.get("Content-Encoding") == sent
    assert "The first view" in text(response)
    assert {"accept-encoding", "cookie"} <= vary(response)


def test_a_signed_in_readers_page_is_compressed_on_its_way_out(client, reader, discussed):
    client.force_login(reader)
    plain = get(client, discussed.get_absolute_url())
    packed = get(client, discussed.get_absolute_url(), BROWSER)
    assert plain.get("Content-Encoding") is None
    assert packed["Content-Encoding"] == "br"
    assert len(packed.content) * 2 < len(plain.content)
    assert "The first view" in text(packed)
    assert {"accept-encoding", "cookie"} <= vary(packed)


def test_a_whole_thread_and_other_text_responses_are_compressed_too(client, discussed):
    whole = get(client, f"{discussed.get_absolute_url()}all/", "gzip")
    assert whole["Content-Encoding"] == "gzip"
    assert "A reply" in text(whole)
    feed = get(client, "/feeds/rss/", BROWSER)
    assert feed.status_code == 200
    assert feed["Content-Encoding"] == "br"
    assert "accept-encoding" in vary(feed)


def test_a_kept_page_is_served_without_compressing_or_rendering_it_again(
    client, discussed, monkeypatch
):
    url = discussed.get_absolute_url()
    first = get(client, url, BROWSER)
    work = []
    for name in ("compress_stored", "compress_response"):
        real = getattr(threadcache, name)
        monkeypatch.setattr(
            threadcache,
            name,
            lambda data, enc, real=real, name=name: work.append(name) or real(data, enc),
        )
    monkeypatch.setattr(compression, "compress_response", lambda *a: work.append("middleware"))
    with CaptureQueriesContext(connection) as queries:
        again = get(client, url, BROWSER)
    assert again.content == first.content
    assert work == []
    assert not [q for q in queries.captured_queries if "comments_comment" in q["sql"]]


def test_the_copy_kept_for_one_encoding_is_not_sent_to_another(client, discussed):
    url = discussed.get_absolute_url()
    br = get(client, url, BROWSER)
    gz = get(client, url, "gzip")
    plain = get(client, url)
    assert (br["Content-Encoding"], gz["Content-Encoding"]) == ("br", "gzip")
    assert plain.get("Content-Encoding") is None
    assert text(br) == text(gz) == plain.content.decode()
    assert len({br["ETag"], gz["ETag"], plain["ETag"]}) == 3


# ---------------------------------------------------------------- conditional requests


def test_a_repeat_visit_with_the_etag_is_a_304_without_rendering(client, discussed):
    url = discussed.get_absolute_url()
    first = get(client, url, BROWSER)
    assert first["ETag"] and first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = get(client, url, BROWSER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "public" in again["Cache-Control"]
    # The article's own row (and the thread version, from the cache the tests keep
    # in the database), nothing of the thread: no rendering was needed.
    sql = [q["sql"] for q in queries.captured_queries if "metoo_cache" not in q["sql"]]
    assert len(sql) == 1 and "articles_article" in sql[0]


def test_a_repeat_visit_with_the_date_alone_is_a_304_too(client, discussed):
    url = discussed.get_absolute_url()
    first = get(client, url)
    again = get(client, url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_a_new_comment_makes_the_old_copy_stale(client, discussed, reader, change):
    url = discussed.get_absolute_url()
    first = get(client, url, BROWSER)
    change(comment_post, author=reader, article=discussed, body="News just in")
    again = get(client, url, BROWSER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert "News just in" in text(again)


def test_a_moderators_decision_makes_the_old_copy_stale(client, discussed, moderator, change):
    url = discussed.get_absolute_url()
    first = get(client, url, BROWSER)
    comment = discussed.comments.get(body="A reply")
    change(
        moderation.comment_remove,
        comment=comment,
        by=moderator,
        expected_version=comment.version,
        reason="off_topic",
    )
    again = get(client, url, BROWSER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "A reply" not in text(again)


def test_an_edit_of_the_article_makes_the_old_copy_stale(client, discussed, editor):
    url = discussed.get_absolute_url()
    first = get(client, url)
    article_services.article_update(
        article=discussed, by=editor, changes={"title": "A corrected headline"}
    )
    again = get(client, url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "A corrected headline" in again.content.decode()


def test_the_whole_thread_and_a_later_page_have_etags_of_their_own(client, discussed):
    page = get(client, discussed.get_absolute_url())
    whole = get(client, f"{discussed.get_absolute_url()}all/")
    newest = get(client, f"{discussed.get_absolute_url()}?sort=newest")
    assert len({page["ETag"], whole["ETag"], newest["ETag"]}) == 3
    assert (
        get(
            client, f"{discussed.get_absolute_url()}all/", HTTP_IF_NONE_MATCH=whole["ETag"]
        ).status_code
        == 304
    )


# ---------------------------------------------------------------- readers with their own page


def test_a_reader_with_a_pending_comment_never_gets_the_shared_copy(
    client, premod_article, reader, other_reader, change
):
    change(comment_post, author=other_reader, article=premod_article, body="Someone else")
    url = premod_article.get_absolute_url()
    shared = get(client, url, BROWSER)  # kept for strangers
    held = change(comment_post, author=reader, article=premod_article, body="My held thought")
    assert held.status == CommentStatus.PENDING

    client.force_login(reader)
    mine = get(client, url, BROWSER, HTTP_IF_NONE_MATCH=shared["ETag"])
    assert mine.status_code == 200
    assert "My held thought" in text(mine) and "Awaiting moderation" in text(mine)
    assert mine["Cache-Control"] == "private, no-cache"
    assert "ETag" not in mine

    client.logout()
    assert "My held thought" not in text(get(client, url, BROWSER))


def test_a_readers_recommendation_is_never_in_the_shared_copy(client, discussed, reader, change):
    url = discussed.get_absolute_url()
    get(client, url)
    comment = discussed.comments.get(body="The first view")
    change(recommendation_toggle, comment=comment, by=reader)
    client.force_login(reader)
    mine = get(client, url).content.decode()
    assert 'aria-pressed="true"' in mine
    client.logout()
    assert 'aria-pressed="true"' not in get(client, url).content.decode()


def test_a_message_waiting_in_a_cookie_is_shown_not_a_kept_copy(client, discussed, reader):
    url = discussed.get_absolute_url()
    get(client, url)
    client.force_login(reader)
    client.post("/accounts/logout/")  # "You have signed out." waits in a cookie
    assert "messages" in client.cookies
    html = get(client, url).content.decode()
    assert "You have signed out." in html


# ---------------------------------------------------------------- the stranger's fast path


def test_a_strangers_page_sets_no_cookie_and_reads_no_session(client, discussed):
    with CaptureQueriesContext(connection) as queries:
        response = get(client, discussed.get_absolute_url(), BROWSER)
    assert response.cookies == {}
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    html = text(response)
    assert '"X-CSRFToken": ""' in html  # the page posts nothing: no token made
    assert "csrfmiddlewaretoken" not in html
    assert "Sign in</a> or" in html


def test_a_strangers_page_may_be_kept_by_a_shared_cache_for_a_few_seconds(client, discussed):
    response = get(client, discussed.get_absolute_url())
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5, stale-while-revalidate=5"


def test_a_signed_in_readers_page_is_never_kept_by_a_shared_cache(client, discussed, reader):
    client.force_login(reader)
    response = get(client, discussed.get_absolute_url())
    assert response["Cache-Control"] == "private, no-cache"
    assert "cookie" in vary(response)


def test_a_strangers_choice_of_order_is_remembered_and_not_shared(client, discussed):
    response = get(client, f"{discussed.get_absolute_url()}?sort=newest")
    assert response.cookies["comment_sort"].value == "newest"
    assert response["Cache-Control"] == "private, no-cache"
    # Next time the cookie says it, and the page for "newest" may be shared again.
    again = get(client, discussed.get_absolute_url())
    assert 'aria-current="true">Newest' in again.content.decode()
    assert "public" in again["Cache-Control"]


def test_the_show_more_fragment_is_kept_and_varies_by_htmx(
    client, discussed, other_reader, change, settings
):
    settings.COMMENTS_PAGE_SIZE = 1
    change(comment_post, author=other_reader, article=discussed, body="A second thread")
    page = get(client, discussed.get_absolute_url()).content.decode()
    after = re.search(r"after=([0-9.]+)", page).group(1)
    url = f"{discussed.get_absolute_url()}?sort=oldest&after={after}&fragment=thread-page"
    fragment = get(client, url, BROWSER, HTTP_HX_REQUEST="true")
    assert "hx-request" in vary(fragment)
    assert "A second thread" in text(fragment) and "<html" not in text(fragment)
    again = get(client, url, BROWSER, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=fragment["ETag"])
    assert again.status_code == 304
    full = get(client, url, BROWSER)
    assert "<html" in text(full) and full["ETag"] != fragment["ETag"]


def kept_pages() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM metoo_cache WHERE cache_key LIKE '%%shared-page%%'")
        return cursor.fetchone()[0]


def test_a_tracking_tag_in_the_address_gets_the_page_but_no_copy_of_its_own(client, discussed):
    response = get(client, f"{discussed.get_absolute_url()}?utm_source=whatsapp", BROWSER)
    assert response.status_code == 200
    assert "The first view" in text(response)
    assert kept_pages() == 0
    get(client, discussed.get_absolute_url(), BROWSER)
    assert kept_pages() == 1


def test_a_stranger_sees_a_new_display_name_at_once(client, discussed, other_reader, change):
    url = discussed.get_absolute_url()
    assert "M. Emad" in get(client, url).content.decode()
    change(
        lifecycle.profile_update,
        user=other_reader,
        display_name="Muhammad Emad",
        notify_replies=True,
        notify_moderation=True,
    )
    html = get(client, url).content.decode()
    assert "Muhammad Emad" in html and "M. Emad" not in html


def test_with_the_thread_cache_off_nothing_is_kept_and_no_copy_is_confirmed(
    client, discussed, settings
):
    settings.THREAD_CACHE = False
    cache.clear()
    first = get(client, discussed.get_absolute_url(), BROWSER)
    again = get(client, discussed.get_absolute_url(), BROWSER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "The first view" in text(again)


def test_a_new_reader_gets_a_page_that_starts_from_nothing(client, discussed):
    """A first visit on a new day or after a deploy: the day and the release are in
    the page's name, so yesterday's copy is never confirmed."""
    first = get(client, discussed.get_absolute_url())
    tomorrow = timezone.now() + timedelta(days=1)
    page = threadcache.shared_page(
        article=discussed,
        sort="oldest",
        cursor=None,
        whole=False,
        fragment=False,
        address=f"http://testserver{discussed.get_absolute_url()}",
        storable=True,
        now=tomorrow,
    )
    assert page.etag("") != first["ETag"]


def test_an_unknown_visitor_with_a_session_cookie_is_served_as_anyone_signed_out(client, discussed):
    client.cookies["sessionid"] = "no-such-session"
    response = get(client, discussed.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert "The first view" in response.content.decode()
