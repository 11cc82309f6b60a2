"""Appeals: the author of a rejected or removed comment asks once, with a note,
for the decision to be looked at again; a moderator other than the one who made
it upholds it or overturns it (the comment is published again), with a reason
the author is emailed. Every step is audited."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments.models import Comment, CommentStatus
from moderation import audit, lifecycle
from moderation.lifecycle import ModerationError
from moderation.models import (
    ActionCode,
    Appeal,
    AppealStatus,
    ModerationAction,
)
from moderation.services.decisions import require_moderator
from moderation.tasks import send_appeal_outcome_email

# The decisions an author may appeal: what took their comment down, a moderator's
# or screening's (a blocked word, on posting or after an edit).
APPEALABLE_CODES = (
    ActionCode.REJECTED,
    ActionCode.REMOVED,
    ActionCode.REJECTED_BY_RULE,
    ActionCode.EDITED,
)
APPEALABLE_STATUSES = frozenset({CommentStatus.REJECTED, CommentStatus.REMOVED})


class AppealError(ModerationError):
    """An appeal that cannot be filed or decided as asked; the message says why."""


def decision_appealable(comment: Comment) -> ModerationAction | None:
    """The decision that took `comment` down (a moderator's, or screening's), when
    its author may still appeal it: the comment is rejected or removed and has
    never been appealed."""
    if comment.status not in APPEALABLE_STATUSES or Appeal.objects.filter(comment=comment).exists():
        return None
    last = (
        ModerationAction.objects.filter(comment=comment)
        .order_by("-created_at", "-id")
        .only("action", "actor_id", "to_status")
        .first()
    )
    if last is None or last.action not in APPEALABLE_CODES:
        return None
    if last.to_status != comment.status:
        return None
    return last


def appeal_file(*, comment: Comment, by: User, note: str, now: datetime | None = None) -> Appeal:
    """The author appeals the decision on their comment, once, with a note."""
    now = now or timezone.now()
    if comment.author_id != by.pk:
        raise AppealError(_("Only the comment's author can appeal its decision."))
    note = (note or "").strip()
    if not note:
        raise AppealError(_("Say why the decision should be looked at again."))
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        decision = decision_appealable(current)
        if decision is None:
            if Appeal.objects.filter(comment=current).exists():
                raise AppealError(_("This decision has already been appealed."))
            raise AppealError(_("This comment has no decision that can be appealed."))
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(
                    comment=current,
                    appellant=by,
                    decision=decision,
                    note=note[:2000],
                    created_at=now,
                )
        except IntegrityError as exc:  # pragma: no cover - the row lock makes this a race lost
            raise AppealError(_("This decision has already been appealed.")) from exc
        audit.record(
            action=ActionCode.APPEAL_FILED,
            actor=by,
            comment=current,
            from_status=current.status,
            to_status=current.status,
            note=note[:2000],
            data={"appeal": appeal.pk, "decision": decision.pk},
            now=now,
        )
    return appeal


def appeal_decide(
    *, appeal: Appeal, by: User, overturn: bool, note: str, now: datetime | None = None
) -> Appeal:
    """A moderator decides an open appeal. The moderator who made the decision
    cannot (screening's decisions any moderator may). Overturned: the comment is
    published again (moderation.lifecycle) and its reason cleared; upheld: it stays
    down. Either way the author is emailed the outcome and its reason."""
    now = now or timezone.now()
    require_moderator(by)
    note = (note or "").strip()
    if not note:
        raise AppealError(_("Give the reason for the outcome; the author is sent it."))
    with transaction.atomic():
        current = Appeal.objects.select_for_update().select_related("decision").get(pk=appeal.pk)
        if current.status != AppealStatus.OPEN:
            raise AppealError(_("This appeal was already decided."))
        if current.decision.actor_id == by.pk:
            raise AppealError(
                _("You made the decision under appeal: another moderator must decide the appeal.")
            )
        comment = Comment.objects.get(pk=current.comment_id)
        from_status = comment.status
        if overturn:
            comment = lifecycle.decide(
                decision=lifecycle.RESTORE,
                comment=comment,
                by=by,
                expected_version=comment.version,
                now=now,
                note=f"appeal overturned: {note}"[:1000],
            )
        status = AppealStatus.OVERTURNED if overturn else AppealStatus.UPHELD
        Appeal.objects.filter(pk=current.pk).update(
            status=status, decided_by=by, decided_at=now, outcome_note=note[:2000]
        )
        audit.record(
            action=ActionCode.APPEAL_OVERTURNED if overturn else ActionCode.APPEAL_UPHELD,
            actor=by,
            comment=comment,
            from_status=from_status,
            to_status=comment.status,
            note=note[:2000],
            data={"appeal": current.pk, "decision": current.decision_id},
            now=now,
        )
        if settings.MODERATION_EMAILS_ENABLED:
            appeal_id = current.pk
            transaction.on_commit(lambda: send_appeal_outcome_email.enqueue(appeal_id=appeal_id))
        current.refresh_from_db()
    return current
