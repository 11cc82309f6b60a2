"""Bad input on the posting form: a clear message, nothing wrong stored."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from comments.models import Comment
from comments.services import comment_post
from moderation.services import comment_remove
from tests.factories import ArticleFactory, comment_form

pytestmark = pytest.mark.django_db


def post(client, article, **data):
    return client.post(
        reverse("comments:post", args=[article.slug]), comment_form(**data), follow=True
    )


def test_double_clicked_submit_posts_once(client, reader, article):
    client.force_login(reader)
    post(client, article, body="Only once, please")
    post(client, article, body="Only once, please")
    assert Comment.objects.filter(author=reader).count() == 1


def test_reply_to_a_comment_on_another_article_is_refused(client, reader, other_reader, article):
    elsewhere = comment_post(author=other_reader, article=ArticleFactory(), body="Elsewhere")
    client.force_login(reader)
    response = post(client, article, body="Crossed wires", parent=elsewhere.pk)
    assert "only reply to a comment on the same article" in response.content.decode()
    assert not Comment.objects.filter(author=reader).exists()


def test_reply_to_a_removed_comment_is_refused(client, reader, other_reader, moderator, article):
    removed = comment_post(author=other_reader, article=article, body="Out of line")
    comment_remove(comment=removed, by=moderator, reason="hate", expected_version=removed.version)
    client.force_login(reader)
    response = post(client, article, body="Answering anyway", parent=removed.pk)
    assert "can no longer be replied to" in response.content.decode()
    assert not Comment.objects.filter(author=reader).exists()


def test_reply_to_someone_elses_pending_comment_is_refused(
    client, reader, other_reader, premod_article
):
    hidden = comment_post(author=other_reader, article=premod_article, body="Not visible yet")
    client.force_login(reader)
    response = post(client, premod_article, body="I saw it", parent=hidden.pk)
    assert "can no longer be replied to" in response.content.decode()
    assert not Comment.objects.filter(author=reader).exists()


def test_oversized_comment_is_refused_with_the_numbers(client, reader, article, settings):
    client.force_login(reader)
    response = post(client, article, body="x" * (settings.COMMENT_MAX_LENGTH + 1))
    assert "at most 3,000 characters (this one has 3,001)" in response.content.decode()
    assert not Comment.objects.exists()


def test_null_bytes_are_refused_with_a_message(client, reader, article):
    client.force_login(reader)
    response = post(client, article, body="abc\x00def")
    # Refused before the view runs (core.middleware): a 400 page that says why.
    assert response.status_code == 400
    assert "contains a null character" in response.content.decode()
    assert not Comment.objects.exists()


def test_thousands_of_newlines_collapse_to_one_paragraph_break(client, reader, article):
    client.force_login(reader)
    post(client, article, body="top" + "\n" * 5000 + "bottom")
    assert Comment.objects.get().body == "top\n\nbottom"


def test_password_reset_sends_a_link(client, reader):
    response = client.post("/accounts/password/reset/", {"email": reader.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
