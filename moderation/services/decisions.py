"""A moderator's decision on one comment: approve, reject, remove, restore, or
keep it and dismiss its reports. The status change itself is
moderation.lifecycle's; here are the permission check, the reason rules and the
emails that follow a decision (after commit, so a rolled-back decision mails
nobody). `DECISIONS` lists them all for the views, single and bulk alike."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments.access import can_moderate
from comments.models import Comment, CommentStatus
from comments.tasks import send_reply_email
from moderation import lifecycle
from moderation.lifecycle import ModerationError
from moderation.models import ModerationAction
from moderation.tasks import send_decision_email


def require_moderator(user: User | None) -> None:
    if not can_moderate(user):
        raise PermissionDenied(_("Only moderators can decide comments."))


def _decide(
    decision: lifecycle.Decision,
    *,
    comment: Comment,
    by: User,
    expected_version: int,
    now: datetime | None,
    reason: str = "",
    note: str = "",
    batch: str = "",
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
            batch=batch,
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
    batch: str = "",
) -> Comment:
    """A decision its author is given a reason for (reject, remove)."""
    if not reason:
        raise ModerationError(
            _("Choose a reason for rejecting this comment.")
            if decision is lifecycle.REJECT
            else _("Choose a reason for removing this comment.")
        )
    return _decide(
        decision,
        comment=comment,
        by=by,
        expected_version=expected_version,
        reason=reason,
        note=note,
        now=now,
        batch=batch,
    )


def comment_approve(
    *,
    comment: Comment,
    by: User,
    expected_version: int,
    now: datetime | None = None,
    batch: str = "",
) -> Comment:
    """Publish a comment that is awaiting moderation."""
    return _decide(
        lifecycle.APPROVE,
        comment=comment,
        by=by,
        expected_version=expected_version,
        now=now,
        batch=batch,
    )


def comment_reject(
    *,
    comment: Comment,
    by: User,
    reason: str,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
    batch: str = "",
) -> Comment:
    """Reject a comment awaiting moderation, with a reason category shown to its author."""
    return _decide_with_reason(
        lifecycle.REJECT, "rejecting", comment, by, expected_version, reason, note, now, batch
    )


def comment_remove(
    *,
    comment: Comment,
    by: User,
    reason: str,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
    batch: str = "",
) -> Comment:
    """Take down a published comment. It stays stored; readers see a placeholder
    where it has replies, and its author sees the reason."""
    return _decide_with_reason(
        lifecycle.REMOVE, "removing", comment, by, expected_version, reason, note, now, batch
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


# ---------------------------------------------------------------- undo


def _undoable(action: ModerationAction, *, by: User, now: datetime) -> None:
    if action.actor_id != by.pk:
        raise ModerationError(_("Only the moderator who made a decision can undo it."))
    if now - action.created_at > timedelta(seconds=settings.MODERATION_UNDO_SECONDS):
        raise ModerationError(_("It is too late to undo this decision; decide the comment again."))


def decision_undo(*, action: ModerationAction, by: User, now: datetime | None = None) -> Comment:
    """Undo one of `by`'s own decisions within settings.MODERATION_UNDO_SECONDS:
    the comment goes back where it was, and the undo is audited as its own act."""
    require_moderator(by)
    now = now or timezone.now()
    _undoable(action, by=by, now=now)
    return lifecycle.undo(action=action, by=by, now=now)


def batch_undo(*, batch: str, by: User, now: datetime | None = None) -> tuple[int, list[str]]:
    """Undo a bulk decision of `by`'s: each of its decisions that can still be
    undone is. Returns how many were, and why the others were not."""
    require_moderator(by)
    now = now or timezone.now()
    actions = list(
        ModerationAction.objects.filter(
            data__batch=batch, actor=by, action__in=lifecycle.UNDOABLE
        ).order_by("id")
    )
    if not actions:
        raise ModerationError(_("There is no such bulk decision of yours to undo."))
    done, problems = 0, []
    for action in actions:
        try:
            _undoable(action, by=by, now=now)
            lifecycle.undo(action=action, by=by, now=now)
            done += 1
        except ModerationError as exc:
            problems.append(
                _("Comment %(pk)s: %(problem)s") % {"pk": action.comment_id, "problem": exc}
            )
    return done, problems


def new_batch() -> str:
    """A name for one bulk decision, kept on each of its audit entries."""
    return uuid.uuid4().hex


# ---------------------------------------------------------------- the table


@dataclass(frozen=True)
class DecisionExtra:
    """What some decisions need besides the common arguments: the newest report
    the moderator saw (a dismissal), the bulk decision it belongs to (undo)."""

    reports_seen: int | None = None
    batch: str = ""


NO_EXTRA = DecisionExtra()

# (comment, by, expected_version, reason, note, now, extra)
Decide = Callable[[Comment, User, int, str, str, datetime, DecisionExtra], Comment]


@dataclass(frozen=True)
class DecisionKind:
    """One decision as the moderation views offer it."""

    key: str  # the URL name and the bulk action
    done: str  # "Approved the comment by ..."
    needs_reason: bool  # asks for a reason category (and takes a note to the author)
    in_bulk: bool  # offered for several selected comments at once
    apply: Decide  # (comment, by, expected_version, reason, note, now, extra)


DECISIONS: dict[str, DecisionKind] = {
    kind.key: kind
    for kind in (
        DecisionKind(
            "approve",
            "Approved",
            False,
            True,
            lambda c, by, v, _reason, _note, now, extra: comment_approve(
                comment=c, by=by, expected_version=v, now=now, batch=extra.batch
            ),
        ),
        DecisionKind(
            "reject",
            "Rejected",
            True,
            True,
            lambda c, by, v, reason, note, now, extra: comment_reject(
                comment=c,
                by=by,
                reason=reason,
                note=note,
                expected_version=v,
                now=now,
                batch=extra.batch,
            ),
        ),
        DecisionKind(
            "remove",
            "Removed",
            True,
            True,
            lambda c, by, v, reason, note, now, extra: comment_remove(
                comment=c,
                by=by,
                reason=reason,
                note=note,
                expected_version=v,
                now=now,
                batch=extra.batch,
            ),
        ),
        DecisionKind(
            "restore",
            "Restored",
            False,
            False,
            lambda c, by, v, _reason, _note, now, _extra: comment_restore(
                comment=c, by=by, expected_version=v, now=now
            ),
        ),
        DecisionKind(
            "dismiss",
            "Kept (reports dismissed)",
            False,
            False,
            lambda c, by, v, _reason, _note, now, extra: reports_dismiss(
                comment=c, by=by, expected_version=v, seen_up_to=extra.reports_seen, now=now
            ),
        ),
    )
}
