"""A moderator's decision on one comment: approve, reject, remove, restore, or
keep it and dismiss its reports. The status change itself is
moderation.lifecycle's; here are the permission check, the reason rules and the
emails that follow a decision (after commit, so a rolled-back decision mails
nobody). `DECISIONS` lists them all for the views, single and bulk alike."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from comments.access import can_moderate
from comments.models import Comment, CommentStatus
from comments.tasks import send_reply_email
from moderation import lifecycle
from moderation.lifecycle import ModerationError
from moderation.tasks import send_decision_email


def require_moderator(user: User | None) -> None:
    if not can_moderate(user):
        raise PermissionDenied("Only moderators can decide comments.")


def _decide(
    decision: lifecycle.Decision,
    *,
    comment: Comment,
    by: User,
    expected_version: int,
    now: datetime | None,
    reason: str = "",
    note: str = "",
) -> Comment:
    require_moderator(by)
    now = now or timezone.now()
    with transaction.atomic():
        current = lifecycle.decide(
            decision=decision,
            comment=comment,
            by=by,
            expected_version=expected_version,
            now=now,
            reason=reason,
            note=note,
        )
        if current.status in {CommentStatus.REJECTED, CommentStatus.REMOVED}:
            _notify_author(comment_id=current.pk, verb=decision.verb)
        if decision is lifecycle.APPROVE and current.parent_id:
            # A held reply that is approved now reaches the person it answers, as a
            # reply published at once does (the task re-checks their preference).
            transaction.on_commit(lambda: send_reply_email.enqueue(comment_id=current.pk))
    return current


def _notify_author(*, comment_id: int, verb: str) -> None:
    if settings.MODERATION_EMAILS_ENABLED:
        transaction.on_commit(lambda: send_decision_email.enqueue(comment_id=comment_id, verb=verb))


def _decide_with_reason(
    decision: lifecycle.Decision,
    doing: str,
    comment: Comment,
    by: User,
    expected_version: int,
    reason: str,
    note: str,
    now: datetime | None,
) -> Comment:
    """A decision its author is given a reason for (reject, remove)."""
    if not reason:
        raise ModerationError(f"Choose a reason for {doing} this comment.")
    return _decide(
        decision,
        comment=comment,
        by=by,
        expected_version=expected_version,
        reason=reason,
        note=note,
        now=now,
    )


def comment_approve(
    *, comment: Comment, by: User, expected_version: int, now: datetime | None = None
) -> Comment:
    """Publish a comment that is awaiting moderation."""
    return _decide(
        lifecycle.APPROVE, comment=comment, by=by, expected_version=expected_version, now=now
    )


def comment_reject(
    *,
    comment: Comment,
    by: User,
    reason: str,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
) -> Comment:
    """Reject a comment awaiting moderation, with a reason category shown to its author."""
    return _decide_with_reason(
        lifecycle.REJECT, "rejecting", comment, by, expected_version, reason, note, now
    )


def comment_remove(
    *,
    comment: Comment,
    by: User,
    reason: str,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
) -> Comment:
    """Take down a published comment. It stays stored; readers see a placeholder
    where it has replies, and its author sees the reason."""
    return _decide_with_reason(
        lifecycle.REMOVE, "removing", comment, by, expected_version, reason, note, now
    )


def comment_restore(
    *,
    comment: Comment,
    by: User,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
) -> Comment:
    """Publish again a comment that was rejected or removed."""
    return _decide(
        lifecycle.RESTORE,
        comment=comment,
        by=by,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def reports_dismiss(
    *,
    comment: Comment,
    by: User,
    expected_version: int,
    note: str = "",
    seen_up_to: int | None = None,
    now: datetime | None = None,
) -> Comment:
    """Keep a published comment that readers reported: the open reports the
    moderator saw (up to report `seen_up_to`; all when None) are resolved without
    a status change, and the dismissal is audited. Later reports stay open."""
    require_moderator(by)
    return lifecycle.reports_dismiss(
        comment=comment,
        by=by,
        expected_version=expected_version,
        note=note,
        seen_up_to=seen_up_to,
        now=now or timezone.now(),
    )


# ---------------------------------------------------------------- the table

# (comment, by, expected_version, reason, note, now, the newest report seen)
Decide = Callable[[Comment, User, int, str, str, datetime, int | None], Comment]


@dataclass(frozen=True)
class DecisionKind:
    """One decision as the moderation views offer it."""

    key: str  # the URL name and the bulk action
    done: str  # "Approved the comment by ..."
    needs_reason: bool  # asks for a reason category (and takes a note to the author)
    in_bulk: bool  # offered for several selected comments at once
    apply: Decide  # (comment, by, expected_version, reason, note, now, reports seen)


DECISIONS: dict[str, DecisionKind] = {
    kind.key: kind
    for kind in (
        DecisionKind(
            "approve",
            "Approved",
            False,
            True,
            lambda c, by, v, _reason, _note, now, _seen: comment_approve(
                comment=c, by=by, expected_version=v, now=now
            ),
        ),
        DecisionKind(
            "reject",
            "Rejected",
            True,
            True,
            lambda c, by, v, reason, note, now, _seen: comment_reject(
                comment=c, by=by, reason=reason, note=note, expected_version=v, now=now
            ),
        ),
        DecisionKind(
            "remove",
            "Removed",
            True,
            True,
            lambda c, by, v, reason, note, now, _seen: comment_remove(
                comment=c, by=by, reason=reason, note=note, expected_version=v, now=now
            ),
        ),
        DecisionKind(
            "restore",
            "Restored",
            False,
            False,
            lambda c, by, v, _reason, _note, now, _seen: comment_restore(
                comment=c, by=by, expected_version=v, now=now
            ),
        ),
        DecisionKind(
            "dismiss",
            "Kept (reports dismissed)",
            False,
            False,
            lambda c, by, v, _reason, _note, now, seen: reports_dismiss(
                comment=c, by=by, expected_version=v, seen_up_to=seen, now=now
            ),
        ),
    )
}
