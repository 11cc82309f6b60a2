"""Notifications in the site: replies to my comments, my comments picked, and
moderators' decisions on them; the header counts what came since I last looked;
the email preferences sit beside them."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.notifications import notifications_for, unread_count
from comments.services import comment_delete, comment_feature, comment_post
from moderation.services import comment_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def mine(reader, article):
    return comment_post(author=reader, article=article, body="My view on the committee.")


def test_replies_picks_and_decisions_are_notifications(
    reader, other_reader, editor, moderator, article, mine
):
    comment_post(author=other_reader, article=article, body="I disagree.", parent=mine)
    comment_post(author=reader, article=article, body="Replying to myself.", parent=mine)
    comment_feature(comment=mine, by=editor, featured=True)
    other = comment_post(author=reader, article=article, body="Too far.")
    comment_remove(comment=other, by=moderator, reason="off_topic", expected_version=other.version)

    texts = [n.text for n in notifications_for(user=reader)]
    assert "M. Emad replied to your comment." in texts
    assert "Your comment was chosen as an editors' pick." in texts
    assert "A moderator removed your comment." in texts
    assert len(texts) == 3  # not my own reply to myself
    assert unread_count(user=reader) == 3


def test_a_reply_withdrawn_is_no_longer_a_notification(reader, other_reader, article, mine):
    reply = comment_post(author=other_reader, article=article, body="Oops.", parent=mine)
    comment_delete(comment=reply, by=other_reader)
    assert notifications_for(user=reader) == []


def test_opening_the_page_reads_them_and_the_header_count_goes(
    client, reader, other_reader, article, mine
):
    comment_post(author=other_reader, article=article, body="I disagree.", parent=mine)
    client.force_login(reader)
    header = client.get(reverse("articles:home")).content.decode()
    assert '<span class="unread-count">1<span class="visually-hidden"> unread</span>' in header

    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "M. Emad replied to your comment." in page and "badge-new" in page
    cache.clear()
    again = client.get(reverse("accounts:notifications")).content.decode()
    assert "badge-new" not in again
    assert "unread-count" not in client.get(reverse("articles:home")).content.decode()


def test_the_email_preferences_are_beside_them(client, reader):
    client.force_login(reader)
    page = client.get(reverse("accounts:notifications")).content.decode()
    assert "Email me when someone replies to my comment" in page
    response = client.post(reverse("accounts:email_preferences"), {"notify_moderation": "on"})
    assert response.status_code == 302
    reader.refresh_from_db()
    assert (reader.notify_replies, reader.notify_moderation) == (False, True)


def test_nobody_signed_out_has_notifications(client):
    response = client.get(reverse("accounts:notifications"))
    assert response.status_code == 302
    assert "unread-count" not in client.get(reverse("articles:home")).content.decode()
