from __future__ import annotations

import pytest
from django.urls import reverse

from comments.services import comment_delete, comment_post
from moderation.services import comment_reject, comment_remove

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("accounts:my_comments"))
    assert reverse("account_login") in response["Location"]


def test_reader_sees_every_comment_with_its_status_reason_and_place(
    client, reader, article, premod_article, moderator
):
    published = comment_post(author=reader, article=article, body="Published words")
    pending = comment_post(author=reader, article=premod_article, body="Waiting words")
    rejected = comment_post(author=reader, article=premod_article, body="Rejected words")
    comment_reject(
        comment=rejected, by=moderator, reason="harassment", expected_version=rejected.version
    )
    removed = comment_post(author=reader, article=article, body="Removed words")
    comment_remove(
        comment=removed,
        by=moderator,
        reason="defamation",
        note="Names a person without evidence",
        expected_version=removed.version,
    )
    deleted = comment_post(author=reader, article=article, body="Deleted words")
    comment_delete(comment=deleted, by=reader)

    client.force_login(reader)
    html = client.get(reverse("accounts:my_comments")).content.decode()

    assert "Published words" in html and "Waiting words" in html
    assert "Awaiting moderation" in html
    assert "Reason: Harassment or abuse" in html
    assert "Reason: Defamation or false allegation" in html
    assert "Names a person without evidence" in html
    assert "Deleted by its author" in html
    assert "Deleted words" not in html
    for comment in (published, pending, rejected, removed, deleted):
        assert reverse("comments:permalink", args=[comment.pk]) in html


def test_reader_does_not_see_other_readers_comments(client, reader, other_reader, article):
    comment_post(author=other_reader, article=article, body="Not yours")
    client.force_login(reader)
    html = client.get(reverse("accounts:my_comments")).content.decode()
    assert "Not yours" not in html
    assert "You have not commented yet." in html
