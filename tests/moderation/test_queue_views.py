from __future__ import annotations

import re

import pytest
from django.urls import reverse

from comments.models import CommentStatus
from comments.services import comment_post
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(reader, premod_article):
    return comment_post(author=reader, article=premod_article, body="Queue me")


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_wrong_role_gets_403(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("moderation:queue")).status_code == 403


def test_moderator_sees_pending_comment_with_its_reason(client, moderator, pending):
    client.force_login(moderator)
    response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Queue me" in html
    assert "article.premoderated" in html
    assert "1 comment awaiting moderation" in html


def test_moderator_approves_from_the_queue(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:approve", args=[pending.pk]), {"version": pending.version}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PUBLISHED
    assert ModerationAction.objects.filter(actor=moderator).count() == 1


def test_reader_cannot_approve_and_nothing_changes(client, reader, pending):
    client.force_login(reader)
    response = client.post(
        reverse("moderation:approve", args=[pending.pk]), {"version": pending.version}
    )
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING


def test_anonymous_approve_is_sent_to_sign_in(client, pending):
    response = client.post(
        reverse("moderation:approve", args=[pending.pk]), {"version": pending.version}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING


def test_get_to_approve_is_405(client, moderator, pending):
    client.force_login(moderator)
    assert client.get(reverse("moderation:approve", args=[pending.pk])).status_code == 405


def test_approve_of_missing_comment_is_404(client, moderator):
    client.force_login(moderator)
    response = client.post(reverse("moderation:approve", args=[999999]), {"version": 1})
    assert response.status_code == 404


def test_stale_approve_shows_conflict_message(client, moderator, other_moderator, pending):
    client.force_login(other_moderator)
    client.post(reverse("moderation:approve", args=[pending.pk]), {"version": pending.version})
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[pending.pk]),
        {"version": pending.version, "reason": "spam"},
        follow=True,
    )
    assert "already decided" in response.content.decode()
    assert "Ayesha Moderator" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PUBLISHED


def test_reject_without_reason_is_refused_with_message(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:reject", args=[pending.pk]),
        {"version": pending.version},
        follow=True,
    )
    assert "Choose a reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING


def test_forged_version_is_refused(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(
        reverse("moderation:approve", args=[pending.pk]), {"version": "abc"}, follow=True
    )
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING


def test_archive_tabs_count_up_to_a_cap_and_work_tabs_count_exactly(
    client, moderator, reader, article, premod_article, monkeypatch
):
    """Approved, rejected and all stop counting at the cap ("3+" here), so a queue
    page never scans the whole archive; pending stays exact however large."""
    from moderation import selectors

    monkeypatch.setattr(selectors, "TAB_COUNT_CAP", 3)
    for n in range(5):
        comment_post(author=moderator, article=article, body=f"Published number {n}")
    for n in range(4):
        comment_post(author=reader, article=premod_article, body=f"Waiting number {n}")
    client.force_login(moderator)
    html = client.get(reverse("moderation:queue")).content.decode()
    tabs = dict(
        re.findall(r">(\w[\w ]*?) <span class=\"tab-count\" id=\"[\w-]+\">([^<]+)</span>", html)
    )
    assert tabs["Pending"] == "4"
    assert tabs["Approved"] == "3+"
    assert tabs["All"] == "3+"
    assert tabs["Rejected and removed"] == "0"
    assert "4 comments awaiting moderation" in html
