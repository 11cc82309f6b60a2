"""core.middleware: a null byte anywhere in a request (the path, the query string, raw
or percent-encoded, a form field, a cookie, a header) is answered 400 with a plain
message before any view runs: nothing is read from or written to the database, and
the page needs no session, cache or template."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.factories import comment_form

pytestmark = pytest.mark.django_db

MESSAGE = "contains a null character"


def _refused(response) -> bool:
    return response.status_code == 400 and MESSAGE in response.content.decode()


def test_a_null_byte_in_the_path_is_refused(client):
    assert _refused(client.get("/articles/open%00article/"))
    assert _refused(client.get("/accounts/unsubscribe/token%00/"))


def test_a_null_byte_in_the_query_is_refused_raw_or_decoded(client):
    assert _refused(client.get("/search/?q=%00"))
    assert _refused(client.get("/moderation/audit/?action=%00"))
    assert _refused(client.get(reverse("articles:search"), {"q": "a\x00b"}))
    assert _refused(client.get(reverse("articles:search"), {"a\x00": "b"}))


def test_a_percent_sign_that_is_not_a_null_byte_passes(client):
    response = client.get(reverse("articles:search"), {"q": "%00 100%"})
    assert response.status_code == 200


def test_a_null_byte_in_a_form_field_is_refused_and_nothing_is_stored(client, reader, article):
    client.force_login(reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_form("Hello\x00there")
    )
    assert _refused(response)
    assert not Comment.objects.exists()


def test_a_null_byte_in_a_multipart_form_is_refused(client, reader, article):
    client.force_login(reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]),
        comment_form("Hello\x00there"),
        format="multipart",
    )
    assert _refused(response)


def test_a_null_byte_in_a_header_is_refused_before_it_is_stored(client, reader, article):
    # The posting service stores the user agent: PostgreSQL would refuse the NUL (500).
    client.force_login(reader)
    response = client.post(
        reverse("comments:post", args=[article.slug]),
        comment_form("Hello there"),
        HTTP_USER_AGENT="Mozilla/5.0\x00",
    )
    assert _refused(response)
    assert not Comment.objects.exists()


def test_a_null_byte_in_a_cookie_says_to_clear_the_cookies(client):
    response = client.get("/", HTTP_COOKIE="sessionid=abc\x00def")
    assert response.status_code == 400
    assert "Clear this site" in response.content.decode()


def test_the_refusal_reads_nothing_from_the_database(
    client, reader, article, django_assert_num_queries
):
    client.force_login(reader)
    with django_assert_num_queries(0):
        response = client.post(
            reverse("comments:post", args=[article.slug]), comment_form("Hello\x00there")
        )
    assert _refused(response)


def test_a_clean_request_goes_through_untouched(client, reader, article):
    client.force_login(reader)
    response = client.post(reverse("comments:post", args=[article.slug]), comment_form("Hello"))
    assert response.status_code == 302
    assert Comment.objects.get().body == "Hello"
    assert Client().get(reverse("articles:home")).status_code == 200
