"""moderation/lifecycle.py is where a comment's status changes. Each transition
writes exactly one audit entry, with a code from the one list, in the same
transaction; the database refuses a code that is not on it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from comments.models import CommentStatus
from comments.services import comment_delete, comment_edit, comment_post, report_file
from moderation import audit, lifecycle, rules
from moderation.models import ActionCode, ModerationAction
from moderation.services import DECISIONS
from moderation.services.decisions import NO_EXTRA
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _entries(comment) -> list[str]:
    return list(
        ModerationAction.objects.filter(comment=comment)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_every_decision_changes_the_status_and_logs_its_code(moderator, premod_article, reader):
    held = comment_post(author=reader, article=premod_article, body="Held first")
    assert held.status == CommentStatus.PENDING
    steps = [
        ("approve", CommentStatus.PUBLISHED, ActionCode.APPROVED),
        ("remove", CommentStatus.REMOVED, ActionCode.REMOVED),
        ("restore", CommentStatus.PUBLISHED, ActionCode.RESTORED),
    ]
    comment = held
    for key, status, code in steps:
        before = len(_entries(comment))
        comment = DECISIONS[key].apply(
            comment, moderator, comment.version, "spam", "", timezone.now(), NO_EXTRA
        )
        assert comment.status == status
        assert _entries(comment)[before:] == [code]


def test_screening_holds_are_logged_as_the_systems(reader, premod_article):
    held = comment_post(author=reader, article=premod_article, body="Waiting")
    entry = ModerationAction.objects.get(comment=held)
    assert entry.action == ActionCode.HELD and entry.actor is None
    assert entry.to_status == CommentStatus.PENDING


def test_an_edit_that_screening_holds_goes_back_to_pending_and_says_why(reader, article):
    comment = comment_post(author=reader, article=article, body="Fine words")
    edited = comment_edit(comment=comment, by=reader, body="Call me on 0300 1234567 today")
    assert edited.status == CommentStatus.PENDING
    assert _entries(edited) == [ActionCode.EDITED]
    entry = ModerationAction.objects.get(comment=edited)
    assert (entry.actor, entry.from_status, entry.to_status) == (reader, "published", "pending")
    assert entry.reason == "personal_data.phone"


def test_withdrawing_twice_is_once(reader, article):
    comment = comment_post(author=reader, article=article, body="Second thoughts")
    comment_delete(comment=comment, by=reader)
    again = comment_delete(comment=comment, by=reader)
    assert again.status == CommentStatus.DELETED_BY_AUTHOR
    assert _entries(comment) == [ActionCode.DELETED_BY_AUTHOR]


def test_enough_reports_hide_a_comment_through_the_lifecycle(reader, article, settings):
    settings.REPORT_HIDE_THRESHOLD = 2
    comment = comment_post(author=reader, article=article, body="Contested")
    for _ in range(2):
        report_file(comment=comment, by=UserFactory(), reason="spam")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert _entries(comment) == [ActionCode.HIDDEN_BY_REPORTS]


def test_status_for_verdict_maps_the_strongest_hit():
    hold = rules.Hit(code="words.held", action=rules.RuleAction.HOLD)
    reject = rules.Hit(code="words.blocked", action=rules.RuleAction.REJECT)
    assert lifecycle.status_for_verdict(rules.Verdict()) == CommentStatus.PUBLISHED
    assert lifecycle.status_for_verdict(rules.Verdict([hold])) == CommentStatus.PENDING
    assert lifecycle.status_for_verdict(rules.Verdict([hold, reject])) == CommentStatus.REJECTED


def test_the_database_refuses_an_action_code_that_is_not_on_the_list(moderator):
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationAction.objects.create(actor=moderator, action="moderation.comment.vanished")
    entry = audit.record(action=ActionCode.USER_NOTED, actor=moderator, now=timezone.now())
    assert entry.action == "moderation.user.noted"
