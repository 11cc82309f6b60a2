"""Every change of a comment's status happens here, and nowhere else.

A comment is created in the status screening gives it (`status_for_verdict`,
recorded by `comment_created`); from then on each change is one of the
transitions below. Each one, in one transaction: locks the comment row, checks
the status it may leave (and, for a moderator's decision, the version the
moderator saw), writes the new status with a bumped version, keeps the
denormalised counts right, marks the thread changed for the page cache, and
appends one audit entry (moderation.audit).

    pending   --approve-->            published
    pending   --reject-->             rejected
    published --remove-->             removed
    removed / rejected --restore-->   published
    published --hide_by_reports-->    pending
    published --hold_for_people-->    pending (a newly listed name or spelling matches)
    published / pending --edit-->     what screening the new text gives (a held comment stays
                                      held; one with open reports goes back to pending)
    anything  --withdraw-->           deleted_by_author (text blanked; kept as a revision
                                      only under a legal hold)
    a decision --undo-->              the status it left (its own audit entry)

Who may ask for which is decided by the callers' access rules (comments.access):
moderation.services for moderators, comments.services for authors and reporters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from accounts.models import User
from articles.models import Article
from comments.cache import thread_changed
from comments.models import Comment, CommentRevision, CommentStatus, ReasonCategory
from core.dates import newsdate
from core.languages import language_of
from moderation import audit, rules
from moderation.models import (
    UNDOABLE_CODES,
    ActionCode,
    ModerationAction,
    Report,
    comments_under_hold,
)


class ModerationError(Exception):
    """A moderation act that cannot be carried out as asked; the message says why."""


@dataclass
class DecisionConflict(ModerationError):
    """The comment changed since the moderator loaded it."""

    comment_id: int
    current_status: str
    decided_by: str | None
    decided_at: datetime | None

    def __str__(self) -> str:
        # Said when shown (str), so in the language of the moderator who sees it.
        label = str(CommentStatus(self.current_status).label).lower()
        if self.decided_by and self.decided_at:
            return _(
                "This comment was already decided: %(name)s set it to “%(status)s” at "
                "%(time)s. Nothing was changed."
            ) % {"name": self.decided_by, "status": label, "time": newsdate(self.decided_at)}
        return _("This comment changed meanwhile (now “%(status)s”). Nothing was changed.") % {
            "status": label
        }


@dataclass(frozen=True)
class Decision:
    """A moderator's decision: the statuses it may leave, where it goes, its log code."""

    verb: str
    allowed_from: frozenset[str]
    to: CommentStatus
    code: ActionCode


APPROVE = Decision(
    "approved", frozenset({CommentStatus.PENDING}), CommentStatus.PUBLISHED, ActionCode.APPROVED
)
REJECT = Decision(
    "rejected", frozenset({CommentStatus.PENDING}), CommentStatus.REJECTED, ActionCode.REJECTED
)
REMOVE = Decision(
    "removed", frozenset({CommentStatus.PUBLISHED}), CommentStatus.REMOVED, ActionCode.REMOVED
)
RESTORE = Decision(
    "restored",
    frozenset({CommentStatus.REMOVED, CommentStatus.REJECTED}),
    CommentStatus.PUBLISHED,
    ActionCode.RESTORED,
)

# Statuses readers see a reason for (shown to the author, cleared on publication).
_WITH_REASON = frozenset({CommentStatus.REJECTED, CommentStatus.REMOVED})


# ---------------------------------------------------------------- creation


def status_for_verdict(verdict: rules.Verdict) -> CommentStatus:
    """The status screening gives a new text: rejected, held, or published."""
    match verdict.action:
        case rules.RuleAction.REJECT:
            return CommentStatus.REJECTED
        case rules.RuleAction.HOLD:
            return CommentStatus.PENDING
        case _:
            return CommentStatus.PUBLISHED


def _held_code(status: str) -> ActionCode:
    return ActionCode.HELD if status == CommentStatus.PENDING else ActionCode.REJECTED_BY_RULE


def comment_created(*, comment: Comment, verdict: rules.Verdict, now: datetime) -> None:
    """A comment was just stored in the status `status_for_verdict` gave it: count
    it, and log why screening held or rejected it. Inside the poster's transaction."""
    _counters(comment=comment, from_status="", to_status=comment.status)
    if verdict.action is None:
        return
    audit.record(
        action=_held_code(comment.status),
        actor=None,
        comment=comment,
        to_status=comment.status,
        reason=verdict.hits[0].code,
        data={"hits": [hit.as_dict() for hit in verdict.hits]},
        now=now,
    )


def _counters(*, comment: Comment, from_status: str, to_status: str) -> None:
    """The denormalised published counts (the article's and the parent's replies)
    follow a comment in and out of the published state; the thread's cached page
    is marked changed whatever happened."""
    thread_changed(comment.article_id)
    was, now_pub = from_status == CommentStatus.PUBLISHED, to_status == CommentStatus.PUBLISHED
    if was == now_pub:
        return
    delta = 1 if now_pub else -1
    Article.objects.filter(pk=comment.article_id).update(comment_count=F("comment_count") + delta)
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + delta)


# ---------------------------------------------------------------- the transitions


def _locked(comment: Comment) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment.pk)


def _conflict(comment: Comment) -> DecisionConflict:
    last = (
        ModerationAction.objects.filter(comment_id=comment.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return DecisionConflict(
        comment_id=comment.pk,
        current_status=comment.status,
        decided_by=(last.actor.display_name if last and last.actor else None),
        decided_at=(last.created_at if last else None),
    )


def _move(
    current: Comment, *, to: str, now: datetime, expected_version: int | None, **fields: Any
) -> None:
    """Write the new status, bump the version, keep the counts."""
    from_status = current.status
    updates: dict[str, Any] = {"status": to, "version": F("version") + 1, **fields}
    if to != from_status:
        updates["status_changed_at"] = now
    rows = Comment.objects.filter(pk=current.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(**updates) != 1:  # pragma: no cover - the row lock makes this unreachable
        raise _conflict(current)
    _counters(comment=current, from_status=from_status, to_status=to)


def decide(
    *,
    decision: Decision,
    comment: Comment,
    by: User,
    expected_version: int,
    now: datetime,
    reason: str = "",
    note: str = "",
    batch: str = "",
) -> Comment:
    """A moderator's decision (the caller has checked that `by` may moderate).
    Refuses with DecisionConflict when the comment changed since version
    `expected_version`, and resolves the comment's open reports. `batch` names
    the bulk decision it is part of (undone together)."""
    if reason and reason not in ReasonCategory.values:
        raise ModerationError(_("Choose one of the listed reasons."))
    with transaction.atomic():
        current = _locked(comment)
        if current.version != expected_version:
            raise _conflict(current)
        if current.status not in decision.allowed_from:
            raise ModerationError(_cannot(decision, current.status))
        from_status = current.status
        fields: dict[str, str] = {}
        if decision.to in _WITH_REASON:
            fields = {"reason_category": reason, "note_to_author": note}
        elif decision.to == CommentStatus.PUBLISHED:
            fields = {"reason_category": "", "note_to_author": ""}
        _move(current, to=decision.to, now=now, expected_version=expected_version, **fields)
        # A decision answers the reports too: the Reported tab lists open ones only.
        resolved = Report.objects.filter(comment=current, resolved_at__isnull=True).update(
            resolved_at=now
        )
        audit.record(
            action=decision.code,
            actor=by,
            comment=current,
            from_status=from_status,
            to_status=decision.to,
            reason=reason,
            note=note,
            data={
                **({"reports_resolved": resolved} if resolved else {}),
                **({"batch": batch} if batch else {}),
            },
            now=now,
        )
        current.refresh_from_db()
    return current


def _cannot(decision: Decision, status: str) -> str:
    """Why a decision cannot leave the comment's status, in the moderator's language."""
    label = str(CommentStatus(status).label).lower()
    if decision.verb == "approved":
        text = _("A comment that is “%(status)s” cannot be approved.")
    elif decision.verb == "rejected":
        text = _("A comment that is “%(status)s” cannot be rejected.")
    elif decision.verb == "removed":
        text = _("A comment that is “%(status)s” cannot be removed.")
    else:
        text = _("A comment that is “%(status)s” cannot be restored.")
    return text % {"status": label}


UNDOABLE = UNDOABLE_CODES


def undo(*, action: ModerationAction, by: User, now: datetime) -> Comment:
    """Take back a moderator's decision (the caller has checked who and when): the
    comment goes back to the status it left, with the reason it had then, and the
    reports the decision resolved are open again. Refused when anything has
    happened to the comment since (a later entry in its log)."""
    if action.action not in UNDOABLE or action.comment_id is None:
        raise ModerationError(_("Only a decision on a comment can be undone."))
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=action.comment_id)
        later = (
            ModerationAction.objects.filter(comment_id=current.pk)
            .filter(
                Q(created_at__gt=action.created_at)
                | Q(created_at=action.created_at, pk__gt=action.pk)
            )
            .exists()
        )
        if later or current.status != action.to_status:
            raise ModerationError(
                _("This decision can no longer be undone: the comment has changed since.")
            )
        back_to = action.from_status
        fields: dict[str, str] = {"reason_category": "", "note_to_author": ""}
        if back_to in _WITH_REASON:
            previous = (
                ModerationAction.objects.filter(comment_id=current.pk, to_status=back_to)
                .exclude(pk=action.pk)
                .order_by("-created_at", "-id")
                .first()
            )
            if previous is not None and previous.reason in ReasonCategory.values:
                fields = {"reason_category": previous.reason, "note_to_author": previous.note}
        _move(current, to=back_to, now=now, expected_version=None, **fields)
        reopened = Report.objects.filter(comment=current, resolved_at=action.created_at).update(
            resolved_at=None
        )
        audit.record(
            action=ActionCode.DECISION_UNDONE,
            actor=by,
            comment=current,
            from_status=action.to_status,
            to_status=back_to,
            reason=action.reason,
            data={
                "undoes": action.pk,
                "undone_action": action.action,
                **({"reports_reopened": reopened} if reopened else {}),
                **({"batch": action.data["batch"]} if action.data.get("batch") else {}),
            },
            now=now,
        )
        current.refresh_from_db()
    return current


def reports_dismiss(
    *,
    comment: Comment,
    by: User,
    expected_version: int,
    now: datetime,
    note: str = "",
    seen_up_to: int | None = None,
) -> Comment:
    """Keep a reported published comment: its open reports are resolved, the
    status stays, and the version moves so a second moderator's stale decision
    is caught. `seen_up_to` is the newest report the moderator was shown (reports
    do not move the version): a report filed after it stays open for a decision."""
    with transaction.atomic():
        current = _locked(comment)
        if current.version != expected_version:
            raise _conflict(current)
        if current.status != CommentStatus.PUBLISHED:
            raise ModerationError(_("Only a published comment's reports can be dismissed."))
        seen = Report.objects.filter(comment=current, resolved_at__isnull=True)
        if seen_up_to is not None:
            seen = seen.filter(pk__lte=seen_up_to)
        resolved = seen.update(resolved_at=now)
        if not resolved:
            raise ModerationError(_("This comment has no open reports."))
        left_open = Report.objects.filter(comment=current, resolved_at__isnull=True).count()
        Comment.objects.filter(pk=current.pk).update(version=F("version") + 1)
        audit.record(
            action=ActionCode.REPORTS_DISMISSED,
            actor=by,
            comment=current,
            from_status=current.status,
            to_status=current.status,
            note=note,
            data={"reports_resolved": resolved, "reports_left_open": left_open},
            now=now,
        )
        current.refresh_from_db()
    return current


def _keep_revision(
    current: Comment, *, status: str, now: datetime, after_report: bool = False
) -> CommentRevision:
    """The comment's text as it stands, appended as its next revision (the table is
    append-only): what an edit replaces, or what a deletion under a legal hold keeps."""
    return CommentRevision.objects.create(
        comment=current,
        number=CommentRevision.objects.filter(comment=current).count() + 1,
        body=current.body,
        status=status,
        written_at=current.edited_at or current.created_at,
        replaced_at=now,
        after_report=after_report,
    )


def withdraw(*, comment: Comment, by: User, now: datetime) -> Comment:
    """The author withdraws their comment (the caller has checked it is theirs). It
    stays as a placeholder so the thread keeps its shape, its text blanked and its
    revisions redacted. Twice is once."""
    with transaction.atomic():
        current = _locked(comment)
        if current.status == CommentStatus.DELETED_BY_AUTHOR:
            return current
        from_status = current.status
        # Its text goes: the author took it back. Under a legal hold the text is
        # kept as a revision (evidence); otherwise every earlier text goes too.
        held = Comment.objects.filter(comments_under_hold(), pk=current.pk).exists()
        if held:
            _keep_revision(current, status=from_status, now=now)
        _move(
            current,
            to=CommentStatus.DELETED_BY_AUTHOR,
            now=now,
            expected_version=None,
            body="",
            body_html="",
        )
        redacted = 0
        if not held:
            redacted = CommentRevision.objects.filter(
                comment=current, redacted_at__isnull=True
            ).update(body="", redacted_at=now)
        audit.record(
            action=ActionCode.DELETED_BY_AUTHOR,
            actor=by,
            comment=current,
            from_status=from_status,
            to_status=CommentStatus.DELETED_BY_AUTHOR,
            data=(
                {"kept_under_legal_hold": True}
                if held
                else ({"revisions_redacted": redacted} if redacted else {})
            ),
            now=now,
        )
        current.refresh_from_db()
    return current


# The hits an edit adds to what screening found in the new text.
EDITED_AFTER_REPORT = "edit.after_report"
EDITED_WHILE_HELD = "edit.while_held"


def _edit_hits(*, verdict: rules.Verdict, reported: bool, held: bool) -> list[dict[str, Any]]:
    """The new text's hold reasons: what screening found in it (the old text's
    reasons go with the old text), plus why the edit itself holds it."""
    hits = [hit.as_dict() for hit in verdict.hits]
    if reported:
        hits.append(
            rules.Hit(
                EDITED_AFTER_REPORT,
                rules.RuleAction.HOLD,
                detail="Its author edited it while readers' reports were open",
            ).as_dict()
        )
    elif held and not hits:
        hits.append(
            rules.Hit(
                EDITED_WHILE_HELD,
                rules.RuleAction.HOLD,
                detail="Its author edited it while it awaited a moderator",
            ).as_dict()
        )
    return hits


def edit(
    *, comment: Comment, body: str, body_html: str, verdict: rules.Verdict, now: datetime
) -> Comment:
    """Store an author's edit (the caller has checked authorship and the window).
    The text it replaces is appended to the comment's revisions (append-only), and
    the edit is audited in one entry whatever the status does. The status screening
    gives the new text, except that a held comment never skips the queue and a
    comment with open reports goes back to pending, "edited after report", until a
    moderator decides (its reports stay open for them)."""
    with transaction.atomic():
        current = _locked(comment)
        if current.status not in {CommentStatus.PUBLISHED, CommentStatus.PENDING}:
            raise ModerationError(_("This comment can no longer be edited."))
        from_status = current.status
        reported = Report.objects.filter(comment=current, resolved_at__isnull=True).exists()
        to_status = status_for_verdict(verdict)
        if to_status == CommentStatus.PUBLISHED and (
            reported or from_status == CommentStatus.PENDING
        ):
            to_status = CommentStatus.PENDING
        hits = _edit_hits(
            verdict=verdict, reported=reported, held=to_status == CommentStatus.PENDING
        )
        revision = _keep_revision(current, status=from_status, now=now, after_report=reported)
        _move(
            current,
            to=to_status,
            now=now,
            expected_version=None,
            body=body,
            body_html=body_html,
            body_lang=language_of(body),
            edited_at=now,
            hold_reasons=hits,
        )
        # One entry, the author's: the edit, with the status screening gave the new
        # text and why (the hits), and the revision that keeps the old text.
        audit.record(
            action=ActionCode.EDITED,
            actor=current.author,
            comment=current,
            from_status=from_status,
            to_status=to_status,
            reason=hits[0]["code"] if hits and to_status != from_status else "",
            note="edited after report" if reported else "",
            data={"revision": revision.number, "hits": hits},
            now=now,
        )
        current.refresh_from_db()
    return current


def hide_by_reports(
    *, comment: Comment, open_reports: int, open_weight: Decimal, now: datetime
) -> None:
    """A published comment's open reports reached the threshold (their weight,
    comments.services.report_weight): hide it until a moderator decides (inside
    the reporter's transaction, with the comment row locked)."""
    _move(comment, to=CommentStatus.PENDING, now=now, expected_version=None)
    audit.record(
        action=ActionCode.HIDDEN_BY_REPORTS,
        actor=None,
        comment=comment,
        from_status=CommentStatus.PUBLISHED,
        to_status=CommentStatus.PENDING,
        reason="reports",
        data={"open_reports": open_reports, "report_weight": str(open_weight)},
        now=now,
    )


def hold_for_people(*, comment: Comment, hits: list[rules.Hit], by: User, now: datetime) -> bool:
    """A newly listed name or spelling (articles.people, by `by`) matches a comment
    readers may already see: a published comment goes back to pending until a
    moderator decides; a held one stays held. The new hits join its hold reasons, so
    the queue says why; hits it already carried (a moderator approved it knowing
    them) take nothing back. Returns whether readers lost sight of it."""
    with transaction.atomic():
        current = _locked(comment)
        if current.status not in {CommentStatus.PUBLISHED, CommentStatus.PENDING}:
            return False
        known = {(h.get("code"), h.get("match")) for h in current.hold_reasons}
        new = [hit.as_dict() for hit in hits if (hit.code, hit.match) not in known]
        if not new:
            return False
        from_status = current.status
        _move(
            current,
            to=CommentStatus.PENDING,
            now=now,
            expected_version=None,
            hold_reasons=[*current.hold_reasons, *new],
        )
        audit.record(
            action=ActionCode.HELD_FOR_PEOPLE,
            actor=by,
            comment=current,
            from_status=from_status,
            to_status=CommentStatus.PENDING,
            reason=new[0]["code"],
            note="a newly listed name or spelling matches",
            data={"hits": new},
            now=now,
        )
    return from_status == CommentStatus.PUBLISHED
