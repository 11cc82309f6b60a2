"""The comment form's signed stamp is single-use and short-lived (issue 13: 130
posts in 6 s were made from 2 stamps, each good for 24 hours). A double click
still lands the comment once, with no error for the reader."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comments.forms import (
    TOO_OLD_MESSAGE,
    USED_MESSAGE,
    CommentForm,
    EditForm,
    form_stamp,
    stamp_spend,
)
from comments.models import Comment
from comments.services import comment_post
from tests.factories import comment_form

pytestmark = pytest.mark.django_db

PUBLISHED = "Your comment is published."


def _post(client, article, data):
    return client.post(reverse("comments:post", args=[article.slug]), data, follow=True)


def test_a_replayed_stamp_is_refused_and_nothing_more_is_stored(client, reader, article):
    client.force_login(reader)
    first = comment_form("My first thought")
    assert PUBLISHED in _post(client, article, first).text
    replay = {**first, "body": "A second comment from the same form"}
    response = _post(client, article, replay)
    assert USED_MESSAGE in response.text
    assert PUBLISHED not in response.text
    assert list(Comment.objects.values_list("body", flat=True)) == ["My first thought"]


def test_one_stamp_cannot_carry_a_flood(client, reader, article, settings):
    settings.RATE_LIMITS = {}
    client.force_login(reader)
    stamp = comment_form()["ts"]
    for n in range(10):
        _post(client, article, comment_form(f"Flood message {n}", ts=stamp))
    assert Comment.objects.count() == 1


def test_a_double_click_lands_the_comment_once_without_an_error(client, reader, article):
    client.force_login(reader)
    data = comment_form("Sent twice by an eager finger")
    first = _post(client, article, data)
    second = _post(client, article, data)
    assert PUBLISHED in first.text
    assert PUBLISHED in second.text
    assert USED_MESSAGE not in second.text
    assert Comment.objects.count() == 1
    assert second.redirect_chain[-1] == first.redirect_chain[-1]


def test_a_double_clicked_reply_lands_once(client, reader, other_reader, article):
    parent = comment_post(author=other_reader, article=article, body="Answer me")
    client.force_login(reader)
    data = comment_form("Here is my answer", parent=parent.pk)
    _post(client, article, data)
    assert USED_MESSAGE not in _post(client, article, data).text
    assert Comment.objects.filter(parent=parent).count() == 1


def test_the_same_text_sent_again_later_with_the_same_stamp_is_a_replay(client, reader, article):
    client.force_login(reader)
    data = comment_form("Same words, much later")
    _post(client, article, data)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        client.force_login(reader)
        response = _post(client, article, data)
    assert USED_MESSAGE in response.text
    assert Comment.objects.count() == 1


def test_a_stamp_is_not_spent_by_a_form_refused_for_its_text(client, reader, article):
    client.force_login(reader)
    data = comment_form("")
    assert "Write something before posting." in _post(client, article, data).text
    # The reader goes back, writes their comment, and sends the same form.
    assert PUBLISHED in _post(client, article, {**data, "body": "Now with words"}).text


def test_a_stamp_lives_two_hours_by_default(client, reader, article):
    client.force_login(reader)
    fresh, stale = comment_form("Within the hour"), comment_form("Left the tab open")
    with time_machine.travel(timezone.now() + timedelta(minutes=90)):
        client.force_login(reader)
        assert PUBLISHED in _post(client, article, fresh).text
    with time_machine.travel(timezone.now() + timedelta(hours=2, minutes=5)):
        client.force_login(reader)
        response = _post(client, article, stale)
    assert TOO_OLD_MESSAGE in response.text
    assert list(Comment.objects.values_list("body", flat=True)) == ["Within the hour"]


def test_the_form_refuses_a_used_stamp_for_other_text():
    stamp = form_stamp()
    assert CommentForm(data={"body": "One", "ts": stamp}).is_valid()
    refused = CommentForm(data={"body": "Two", "ts": stamp})
    assert not refused.is_valid()
    assert refused.errors["__all__"] == [USED_MESSAGE]


def test_the_edit_form_has_no_stamp_to_spend():
    form = EditForm(data={"body": "A corrected text"})
    assert "ts" not in form.fields and "website" not in form.fields
    assert form.is_valid()


@pytest.mark.django_db(transaction=True)
def test_only_one_of_many_simultaneous_sendings_of_a_stamp_wins():
    stamp = form_stamp()

    def spend(n: int) -> str | None:
        try:
            return stamp_spend(stamp, sending=f"\nText number {n}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(spend, range(16)))
    assert outcomes.count(None) == 1
    assert outcomes.count(USED_MESSAGE) == 15
