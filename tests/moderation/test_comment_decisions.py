from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from comments.models import CommentStatus, ReasonCategory
from comments.services import comment_post
from moderation import services
from moderation.models import ModerationAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(reader, premod_article):
    return comment_post(author=reader, article=premod_article, body="Please publish me")


def test_moderator_approves_pending_comment_with_audit_row(moderator, pending, premod_article):
    approved = services.comment_approve(
        comment=pending, by=moderator, expected_version=pending.version
    )

    assert approved.status == CommentStatus.PUBLISHED
    assert approved.version == pending.version + 1
    premod_article.refresh_from_db()
    assert premod_article.comment_count == 1
    action = ModerationAction.objects.get(comment=pending, action="moderation.comment.approved")
    assert action.actor == moderator
    assert (action.from_status, action.to_status) == ("pending", "published")


def test_reader_cannot_approve(reader, pending):
    with pytest.raises(PermissionDenied):
        services.comment_approve(comment=pending, by=reader, expected_version=pending.version)
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING
    assert not ModerationAction.objects.filter(action="moderation.comment.approved").exists()


def test_moderator_sees_conflict_when_comment_was_decided_meanwhile(
    moderator, other_moderator, pending
):
    seen_version = pending.version
    services.comment_approve(comment=pending, by=moderator, expected_version=seen_version)

    with pytest.raises(services.DecisionConflict) as info:
        services.comment_reject(
            comment=pending,
            by=other_moderator,
            reason=ReasonCategory.SPAM,
            expected_version=seen_version,
        )

    message = str(info.value)
    assert "Imran Moderator" in message
    assert "published" in message
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PUBLISHED
    assert ModerationAction.objects.filter(comment=pending).exclude(actor=None).count() == 1


def test_reject_needs_a_reason(moderator, pending):
    with pytest.raises(services.ModerationError, match="reason"):
        services.comment_reject(comment=pending, by=moderator, reason="", expected_version=1)
    with pytest.raises(services.ModerationError, match="listed reasons"):
        services.comment_reject(
            comment=pending, by=moderator, reason="because", expected_version=pending.version
        )
    pending.refresh_from_db()
    assert pending.status == CommentStatus.PENDING


def test_reject_keeps_reason_and_note_for_the_author(moderator, pending):
    rejected = services.comment_reject(
        comment=pending,
        by=moderator,
        reason=ReasonCategory.DEFAMATION,
        note="Do not accuse named people.",
        expected_version=pending.version,
    )
    assert rejected.status == CommentStatus.REJECTED
    assert rejected.reason_category == "defamation"
    assert rejected.note_to_author == "Do not accuse named people."
    action = ModerationAction.objects.get(action="moderation.comment.rejected")
    assert action.reason == "defamation"


def test_remove_then_restore_keeps_counts_right(moderator, reader, article):
    comment = comment_post(author=reader, article=article, body="Published at once")
    article.refresh_from_db()
    assert article.comment_count == 1

    removed = services.comment_remove(
        comment=comment,
        by=moderator,
        reason=ReasonCategory.HATE,
        expected_version=comment.version,
    )
    article.refresh_from_db()
    assert (removed.status, article.comment_count) == (CommentStatus.REMOVED, 0)

    restored = services.comment_restore(
        comment=removed, by=moderator, expected_version=removed.version
    )
    article.refresh_from_db()
    assert (restored.status, article.comment_count) == (CommentStatus.PUBLISHED, 1)
    assert restored.reason_category == ""


def test_approving_a_published_comment_is_refused(moderator, reader, article):
    comment = comment_post(author=reader, article=article, body="Already out")
    with pytest.raises(services.ModerationError, match="cannot be approved"):
        services.comment_approve(comment=comment, by=moderator, expected_version=comment.version)
