"""Undo (issue 14): a moderator's decision, single or bulk, can be undone for
settings.MODERATION_UNDO_SECONDS from the notice that confirms it; the undo is
its own audited act, and undoing a bulk decision undoes the batch."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentStatus
from comments.services import comment_post, report_file
from moderation import selectors, services
from moderation.models import ActionCode, ModerationAction, Report
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(reader, premod_article):
    return comment_post(author=reader, article=premod_article, body="Held for a moderator")


def _last(comment) -> ModerationAction:
    return ModerationAction.objects.filter(comment=comment).order_by("-id").first()


def test_undoing_a_rejection_puts_the_comment_back_and_is_audited(moderator, held):
    rejected = services.comment_reject(
        comment=held, by=moderator, reason="spam", expected_version=held.version
    )
    decision = _last(rejected)
    back = services.decision_undo(action=decision, by=moderator)
    assert back.status == CommentStatus.PENDING and back.reason_category == ""
    undo = _last(back)
    assert (undo.action, undo.actor, undo.from_status, undo.to_status) == (
        ActionCode.DECISION_UNDONE,
        moderator,
        "rejected",
        "pending",
    )
    assert undo.data["undoes"] == decision.pk
    with pytest.raises(services.ModerationError, match="no longer be undone"):
        services.decision_undo(action=decision, by=moderator)


def test_undoing_a_removal_reopens_the_reports_it_resolved(moderator, reader, article):
    comment = comment_post(author=reader, article=article, body="Reported words")
    report_file(comment=comment, by=UserFactory(), reason="spam")
    comment.refresh_from_db()
    removed = services.comment_remove(
        comment=comment, by=moderator, reason="spam", expected_version=comment.version
    )
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    back = services.decision_undo(action=_last(removed), by=moderator)
    assert back.status == CommentStatus.PUBLISHED
    assert Report.objects.filter(comment=comment, resolved_at__isnull=True).count() == 1


def test_undoing_a_restore_gives_back_the_earlier_reason(moderator, held):
    rejected = services.comment_reject(
        comment=held, by=moderator, reason="hate", note="No", expected_version=held.version
    )
    restored = services.comment_restore(
        comment=rejected, by=moderator, expected_version=rejected.version
    )
    back = services.decision_undo(action=_last(restored), by=moderator)
    assert (back.status, back.reason_category, back.note_to_author) == ("rejected", "hate", "No")


def test_only_the_deciding_moderator_and_only_within_the_window(
    moderator, other_moderator, held, settings
):
    approved = services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    decision = _last(approved)
    with pytest.raises(services.ModerationError, match="who made"):
        services.decision_undo(action=decision, by=other_moderator)
    later = decision.created_at + timedelta(seconds=settings.MODERATION_UNDO_SECONDS + 1)
    with pytest.raises(services.ModerationError, match="too late"):
        services.decision_undo(action=decision, by=moderator, now=later)
    held.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED


def test_a_reader_cannot_undo(reader, moderator, held):
    approved = services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    with pytest.raises(PermissionDenied):
        services.decision_undo(action=_last(approved), by=reader)


def test_undoing_a_bulk_decision_undoes_the_batch_from_the_queue_notice(
    client, moderator, reader, premod_article
):
    comments = [
        comment_post(author=reader, article=premod_article, body=f"Held {n}") for n in range(3)
    ]
    client.force_login(moderator)
    client.post(
        reverse("moderation:bulk"),
        {
            "action": "reject",
            "reason": "spam",
            "items": [f"{c.pk}:{c.version}" for c in comments],
        },
    )
    page = client.get(reverse("moderation:queue")).content.decode()
    assert "Rejected: 3 comments at once" in page
    batch = re.search(r'name="batch" value="([0-9a-f]{32})"', page).group(1)
    response = client.post(reverse("moderation:undo"), {"batch": batch}, follow=True)
    assert "Undone: 3 decisions of the batch." in response.content.decode()
    for c in comments:
        c.refresh_from_db()
        assert c.status == CommentStatus.PENDING
    assert ModerationAction.objects.filter(action=ActionCode.DECISION_UNDONE).count() == 3
    assert (
        "Rejected: 3 comments at once"
        not in client.get(reverse("moderation:queue")).content.decode()
    )


def test_the_htmx_notice_of_a_decision_offers_undo(client, moderator, held):
    client.force_login(moderator)
    html = client.post(
        reverse("moderation:approve", args=[held.pk]),
        {"version": held.version},
        headers={"HX-Request": "true"},
    ).content.decode()
    action = re.search(r'name="action" value="(\d+)"', html)
    assert action and "Undo" in html
    client.post(reverse("moderation:undo"), {"action": action.group(1), "next": "/moderation/"})
    held.refresh_from_db()
    assert held.status == CommentStatus.PENDING


@pytest.mark.parametrize("persona", ["reader", "editor"])
def test_readers_and_editors_cannot_post_an_undo(client, request, persona, moderator, held):
    approved = services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("moderation:undo"), {"action": _last(approved).pk})
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == CommentStatus.PUBLISHED


def test_a_decision_offered_for_undo_disappears_once_undone(moderator, held):
    approved = services.comment_approve(comment=held, by=moderator, expected_version=held.version)
    assert [o.action_id for o in selectors.undo_offers(by=moderator)] == [_last(approved).pk]
    services.decision_undo(action=_last(approved), by=moderator, now=timezone.now())
    assert selectors.undo_offers(by=moderator) == []
