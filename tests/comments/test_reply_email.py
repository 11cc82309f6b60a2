from __future__ import annotations

import pytest
from django.core import mail

from comments.services import comment_post

pytestmark = pytest.mark.django_db


def test_reply_emails_the_parent_author_after_commit_with_one_click_unsubscribe(
    reader, other_reader, article, django_capture_on_commit_callbacks
):
    top = comment_post(author=reader, article=article, body="A view")

    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_post(author=other_reader, article=article, body="An answer", parent=top)
        assert mail.outbox == []  # nothing leaves before the transaction commits

    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert "M. Emad replied to your comment" in message.subject
    assert "An answer" in message.body
    assert f"/comments/{reply.pk}/" in message.body
    assert "/accounts/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_email_when_the_reader_turned_reply_emails_off(
    reader, other_reader, article, django_capture_on_commit_callbacks
):
    reader.notify_replies = False
    reader.save()
    top = comment_post(author=reader, article=article, body="A view")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=other_reader, article=article, body="An answer", parent=top)
    assert mail.outbox == []


def test_no_email_for_replying_to_oneself(reader, article, django_capture_on_commit_callbacks):
    top = comment_post(author=reader, article=article, body="A view")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=reader, article=article, body="And another thing", parent=top)
    assert mail.outbox == []


def test_no_email_for_a_reply_held_for_moderation(
    reader, other_reader, article, django_capture_on_commit_callbacks
):
    top = comment_post(author=reader, article=article, body="A view")
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(
            author=other_reader, article=article, body="Call me on 0300-1234567", parent=top
        )
    assert mail.outbox == []


def test_held_reply_mails_the_parent_author_when_a_moderator_approves_it(
    reader, other_reader, moderator, premod_article, django_capture_on_commit_callbacks
):
    from moderation.services import comment_approve

    with django_capture_on_commit_callbacks(execute=True):
        parent = comment_post(author=reader, article=premod_article, body="Original point")
        parent = comment_approve(comment=parent, by=moderator, expected_version=parent.version)
        reply = comment_post(
            author=other_reader, article=premod_article, body="A held answer", parent=parent
        )
    assert mail.outbox == []  # held: nobody is told yet

    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=reply, by=moderator, expected_version=reply.version)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [reader.email]
    assert "replied to your comment" in mail.outbox[0].subject
