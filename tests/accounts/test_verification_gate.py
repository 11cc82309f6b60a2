"""An unverified reader's comment is refused before anything is stored; the
confirmation goes to their own address only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from tests.factories import comment_form

pytestmark = pytest.mark.django_db


def test_unverified_reader_comment_is_not_stored_and_the_link_is_resent(
    client, unverified_reader, article
):
    client.force_login(unverified_reader)

    response = client.post(
        reverse("comments:post", args=[article.slug]), comment_form("My first words"), follow=True
    )

    assert Comment.objects.count() == 0
    assert "Please verify your email address" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[unverified_reader.email]]


def test_unverified_reader_cannot_direct_the_email_elsewhere(client, unverified_reader, article):
    client.force_login(unverified_reader)

    client.post(
        reverse("comments:post", args=[article.slug]),
        comment_form("Hi", email="stranger@example.org"),
    )

    assert all(m.to == [unverified_reader.email] for m in mail.outbox)


def test_article_page_tells_an_unverified_reader_to_confirm_first(
    client, unverified_reader, article
):
    client.force_login(unverified_reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Please confirm your email address before your first comment" in html


def test_verified_reader_sees_no_confirmation_notice(client, reader, article):
    client.force_login(reader)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Please confirm your email address" not in html
