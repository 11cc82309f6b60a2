"""Every change to a comment's status, and every other moderation act, lives here.

Each public function takes the acting user explicitly, checks permission and the
current state, applies the change with a conditional UPDATE on the comment's
version (so two moderators cannot both decide the same comment), and writes one
ModerationAction row in the same transaction.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from articles.models import Article, CommentsMode
from comments.cache import thread_changed
from comments.models import Comment, CommentStatus, ReasonCategory
from moderation import rules
from moderation.models import (
    ModerationAction,
    Report,
    Sanction,
    SanctionKind,
    WordListEntry,
    WordListKind,
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
        label = CommentStatus(self.current_status).label.lower()
        if self.decided_by and self.decided_at:
            when = timezone.localtime(self.decided_at).strftime("%b %d, %Y %I:%M%p").lower()
            return (
                f"This comment was already decided: {self.decided_by} set it to "
                f"“{label}” at {when[:1].upper() + when[1:]}. Nothing was changed."
            )
        return f"This comment changed meanwhile (now “{label}”). Nothing was changed."


class AuthorRefused(ModerationError):
    """The author may not post right now (banned, suspended, or posting too fast).
    Raised from screening so nothing is stored; the message is for the reader."""


def _require_moderator(user) -> None:
    if not (user and user.is_authenticated and user.has_perm("comments.moderate_comment")):
        raise PermissionDenied("Only moderators can decide comments.")


# ---------------------------------------------------------------- screening


def active_sanctions(*, user, now: datetime) -> list[Sanction]:
    """Sanctions in force for `user` at `now`, strongest first."""
    if not (user and user.pk):
        return []
    order = {SanctionKind.BAN: 0, SanctionKind.SUSPEND: 1, SanctionKind.PREMODERATE: 2}
    found = Sanction.objects.filter(user_id=user.pk, lifted_at__isnull=True).filter(
        Q(until__isnull=True) | Q(until__gt=now)
    )
    return sorted(found.order_by("created_at", "id"), key=lambda s: order[s.kind])


_WORDLIST_VERSION_KEY = "moderation:wordlist-version"


def _wordlists_changed() -> None:
    """After commit, a fresh version: a list read before the change and cached
    late lands under the old version, which nobody reads again."""
    transaction.on_commit(lambda: cache.set(_WORDLIST_VERSION_KEY, time.time_ns(), 30 * 24 * 3600))


def word_lists() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The blocked and held terms, as stored (normalised). Read on every post, so
    kept in the shared cache under a version that wordlist_add/remove move."""
    version = cache.get(_WORDLIST_VERSION_KEY)
    if version is None:
        cache.add(_WORDLIST_VERSION_KEY, time.time_ns(), 30 * 24 * 3600)
        version = cache.get(_WORDLIST_VERSION_KEY)
    key = f"moderation:wordlists:{version}"
    lists = cache.get(key) if version is not None else None
    if lists is None:
        block, hold = [], []
        entries = WordListEntry.objects.order_by("id").values_list("normalized", "kind")
        for normalized, kind in entries:
            (block if kind == WordListKind.BLOCK else hold).append(normalized)
        lists = (tuple(block), tuple(hold))
        if version is not None:
            cache.set(key, lists, 24 * 3600)
    return lists


def _refuse_if_sanctioned(sanctions: list[Sanction]) -> bool:
    """Raise for a ban or suspension; return True when the author is premoderated."""
    for sanction in sanctions:
        if sanction.kind == SanctionKind.BAN:
            raise AuthorRefused(
                "Your account has been banned from commenting"
                + (f" until {_when(sanction.until)}" if sanction.until else "")
                + f". Reason: {sanction.reason}"
            )
        if sanction.kind == SanctionKind.SUSPEND:
            raise AuthorRefused(
                f"Your account is suspended from commenting until {_when(sanction.until)}. "
                f"Reason: {sanction.reason}"
            )
    return any(s.kind == SanctionKind.PREMODERATE for s in sanctions)


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%b %d, %Y %I:%M") + local.strftime("%p").lower()


def screen_submission(
    *,
    author,
    article: Article,
    body: str,
    editing: Comment | None = None,
    now: datetime | None = None,
) -> rules.Verdict:
    """Run every screening rule on a new comment, or on an edit of `editing`.

    Pure read: no writes. Raises AuthorRefused (a ModerationError), storing
    nothing, when the author may not post at all (banned, suspended, flooding);
    otherwise returns the hits, which decide the status. Flood and new-account
    checks apply to new comments only: an edit is not another post."""
    now = now or timezone.now()
    premoderated = _refuse_if_sanctioned(active_sanctions(user=author, now=now))
    mine = Comment.objects.filter(author_id=author.pk)
    if editing is not None:
        mine = mine.exclude(pk=editing.pk)

    # The author's history in one aggregate over the rows that can matter (recent
    # ones, and a young account's published ones), not a query per rule: this runs
    # on every post.
    window = timedelta(seconds=settings.MODERATION_FLOOD_WINDOW_SECONDS)
    hold_first = settings.MODERATION_NEW_ACCOUNT_HOLD
    young = author.date_joined > now - timedelta(days=settings.MODERATION_NEW_ACCOUNT_DAYS)
    check_new_account = editing is None and bool(hold_first) and young
    dup_minutes = settings.MODERATION_DUPLICATE_WINDOW_MINUTES
    dup_since = now - timedelta(minutes=dup_minutes)
    flood_since = now - window
    relevant = Q(created_at__gt=flood_since)
    if dup_minutes:
        relevant |= Q(created_at__gte=dup_since)
    if check_new_account:
        relevant |= Q(status=CommentStatus.PUBLISHED)
    history = mine.filter(relevant).aggregate(
        recent=Count("id", filter=Q(created_at__gt=flood_since)),
        approved=Count("id", filter=Q(status=CommentStatus.PUBLISHED)),
        duplicates=Count(
            "id",
            filter=Q(created_at__gte=dup_since, body=body)
            & ~Q(status=CommentStatus.DELETED_BY_AUTHOR),
        ),
    )

    new_account = False
    if editing is None:
        if history["recent"] >= settings.MODERATION_FLOOD_LIMIT:
            minutes = max(1, settings.MODERATION_FLOOD_WINDOW_SECONDS // 60)
            raise AuthorRefused(
                f"You are posting too fast: at most {settings.MODERATION_FLOOD_LIMIT} comments "
                f"in {minutes} minute{'s' if minutes != 1 else ''}. Please wait a little."
            )
        if check_new_account:
            new_account = history["approved"] < hold_first

    duplicate = bool(dup_minutes) and history["duplicates"] > 0

    block, hold = word_lists()
    sub = rules.Submission(
        body=body,
        article_premoderated=article.comments_mode == CommentsMode.PREMODERATED,
        author_premoderated=premoderated,
        new_account=new_account,
        duplicate=duplicate,
        block_terms=block,
        hold_terms=hold,
        link_limit=settings.MODERATION_LINK_LIMIT,
    )
    return rules.screen(sub)


def screen_sample(*, body: str) -> rules.Verdict:
    """The "try a text" box: the text-only rules with the current word lists."""
    block, hold = word_lists()
    return rules.screen(
        rules.Submission(
            body=body,
            article_premoderated=False,
            block_terms=block,
            hold_terms=hold,
            link_limit=settings.MODERATION_LINK_LIMIT,
        )
    )


def status_for_verdict(verdict: rules.Verdict) -> CommentStatus:
    match verdict.action:
        case rules.RuleAction.REJECT:
            return CommentStatus.REJECTED
        case rules.RuleAction.HOLD:
            return CommentStatus.PENDING
        case _:
            return CommentStatus.PUBLISHED


def screening_record(*, comment: Comment, verdict: rules.Verdict, now: datetime) -> None:
    """Audit what screening decided for a comment that was held or rejected."""
    if verdict.action is None:
        return
    ModerationAction.objects.create(
        actor=None,
        action=(
            "moderation.comment.held"
            if verdict.action == rules.RuleAction.HOLD
            else "moderation.comment.rejected_by_rule"
        ),
        comment=comment,
        target_user_id=comment.author_id,
        from_status="",
        to_status=comment.status,
        reason=verdict.hits[0].code,
        data={"hits": [hit.as_dict() for hit in verdict.hits]},
        created_at=now,
    )


# ---------------------------------------------------------------- counters


def counters_apply(*, comment: Comment, from_status: str, to_status: str) -> None:
    """Keep the denormalised published counts right when a comment enters or
    leaves the published state."""
    thread_changed(comment.article_id)  # every post, decision and edit passes here
    was = from_status == CommentStatus.PUBLISHED
    now_pub = to_status == CommentStatus.PUBLISHED
    if was == now_pub:
        return
    delta = 1 if now_pub else -1
    Article.objects.filter(pk=comment.article_id).update(comment_count=F("comment_count") + delta)
    if comment.parent_id:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + delta)


# ---------------------------------------------------------------- decisions

_ALLOWED = {
    "approved": ({CommentStatus.PENDING}, CommentStatus.PUBLISHED),
    "rejected": ({CommentStatus.PENDING}, CommentStatus.REJECTED),
    "removed": ({CommentStatus.PUBLISHED}, CommentStatus.REMOVED),
    "restored": ({CommentStatus.REMOVED, CommentStatus.REJECTED}, CommentStatus.PUBLISHED),
}


def _last_decision(comment_id: int) -> ModerationAction | None:
    return (
        ModerationAction.objects.filter(comment_id=comment_id)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


def _conflict(comment: Comment) -> DecisionConflict:
    last = _last_decision(comment.pk)
    return DecisionConflict(
        comment_id=comment.pk,
        current_status=comment.status,
        decided_by=(last.actor.display_name if last and last.actor else None),
        decided_at=(last.created_at if last else None),
    )


def _decide(
    *,
    verb: str,
    comment: Comment,
    by,
    expected_version: int,
    now: datetime | None,
    reason: str = "",
    note: str = "",
) -> Comment:
    _require_moderator(by)
    now = now or timezone.now()
    allowed_from, to_status = _ALLOWED[verb]
    if reason and reason not in ReasonCategory.values:
        raise ModerationError("Choose one of the listed reasons.")
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.version != expected_version:
            raise _conflict(current)
        if current.status not in allowed_from:
            raise ModerationError(
                f"A comment that is “{CommentStatus(current.status).label.lower()}” "
                f"cannot be {verb}."
            )
        from_status = current.status
        updates = {
            "status": to_status,
            "version": F("version") + 1,
            "status_changed_at": now,
        }
        if to_status in {CommentStatus.REJECTED, CommentStatus.REMOVED}:
            updates["reason_category"] = reason
            updates["note_to_author"] = note
        elif to_status == CommentStatus.PUBLISHED:
            updates["reason_category"] = ""
            updates["note_to_author"] = ""
        changed = Comment.objects.filter(pk=current.pk, version=expected_version).update(**updates)
        if changed != 1:  # pragma: no cover - the row lock makes this unreachable
            raise _conflict(current)
        counters_apply(comment=current, from_status=from_status, to_status=to_status)
        # A decision answers the reports too: the Reported tab lists open ones only.
        resolved = Report.objects.filter(comment=current, resolved_at__isnull=True).update(
            resolved_at=now
        )
        ModerationAction.objects.create(
            actor=by,
            action=f"moderation.comment.{verb}",
            comment=current,
            target_user_id=current.author_id,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            note=note,
            data={"reports_resolved": resolved} if resolved else {},
            created_at=now,
        )
        if to_status in {CommentStatus.REJECTED, CommentStatus.REMOVED}:
            _notify_author(comment_id=current.pk, verb=verb)
        if verb == "approved" and current.parent_id:
            _notify_replied_to(comment_id=current.pk)
        current.refresh_from_db()
    return current


def _notify_author(*, comment_id: int, verb: str) -> None:
    if not settings.MODERATION_EMAILS_ENABLED:
        return
    from moderation.tasks import send_decision_email

    # After commit: a rolled-back decision must not reach anyone's inbox.
    transaction.on_commit(lambda: send_decision_email.enqueue(comment_id=comment_id, verb=verb))


def _notify_replied_to(*, comment_id: int) -> None:
    """A held reply that is approved now reaches the person it answers, as a reply
    published at once does (the task re-checks their preference at send time)."""
    from comments.tasks import send_reply_email

    transaction.on_commit(lambda: send_reply_email.enqueue(comment_id=comment_id))


def comment_approve(
    *, comment: Comment, by, expected_version: int, now: datetime | None = None
) -> Comment:
    """Publish a comment that is awaiting moderation."""
    return _decide(
        verb="approved", comment=comment, by=by, expected_version=expected_version, now=now
    )


def comment_reject(
    *,
    comment: Comment,
    by,
    reason: str,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
) -> Comment:
    """Reject a comment awaiting moderation, with a reason category shown to its author."""
    if not reason:
        raise ModerationError("Choose a reason for rejecting this comment.")
    return _decide(
        verb="rejected",
        comment=comment,
        by=by,
        expected_version=expected_version,
        reason=reason,
        note=note,
        now=now,
    )


def comment_remove(
    *,
    comment: Comment,
    by,
    reason: str,
    expected_version: int,
    note: str = "",
    now: datetime | None = None,
) -> Comment:
    """Take down a published comment. It stays stored; readers see a placeholder
    where it has replies, and its author sees the reason."""
    if not reason:
        raise ModerationError("Choose a reason for removing this comment.")
    return _decide(
        verb="removed",
        comment=comment,
        by=by,
        expected_version=expected_version,
        reason=reason,
        note=note,
        now=now,
    )


def comment_restore(
    *, comment: Comment, by, expected_version: int, note: str = "", now: datetime | None = None
) -> Comment:
    """Publish again a comment that was rejected or removed."""
    return _decide(
        verb="restored",
        comment=comment,
        by=by,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def comment_delete_by_author(*, comment: Comment, by, now: datetime | None = None) -> Comment:
    """The author withdraws their own comment. It is kept as a placeholder so the
    thread keeps its shape (the thread view hides it when nothing answers it)."""
    now = now or timezone.now()
    if not (by and by.is_authenticated and by.pk == comment.author_id):
        raise PermissionDenied("You can only delete your own comments.")
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status in {CommentStatus.DELETED_BY_AUTHOR}:
            return current
        from_status = current.status
        Comment.objects.filter(pk=current.pk).update(
            status=CommentStatus.DELETED_BY_AUTHOR,
            version=F("version") + 1,
            status_changed_at=now,
        )
        counters_apply(
            comment=current, from_status=from_status, to_status=CommentStatus.DELETED_BY_AUTHOR
        )
        ModerationAction.objects.create(
            actor=by,
            action="comment.deleted_by_author",
            comment=current,
            target_user_id=current.author_id,
            from_status=from_status,
            to_status=CommentStatus.DELETED_BY_AUTHOR,
            created_at=now,
        )
        current.refresh_from_db()
    return current


# ---------------------------------------------------------------- edits


def comment_apply_edit(
    *, comment: Comment, by, body: str, body_html: str, verdict: rules.Verdict, now: datetime
) -> Comment:
    """Store an author's edit and the status its re-screening gives.

    comments.services.comment_edit checks authorship and the edit window, screens
    the new text, then calls this: the status change (a published comment held
    again, say) is a moderation change and is audited like one.
    """
    if not (by and by.is_authenticated and by.pk == comment.author_id):
        raise PermissionDenied("You can only edit your own comments.")
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status not in {CommentStatus.PUBLISHED, CommentStatus.PENDING}:
            raise ModerationError("This comment can no longer be edited.")
        from_status = current.status
        to_status = status_for_verdict(verdict)
        if from_status == CommentStatus.PENDING and to_status == CommentStatus.PUBLISHED:
            # An edit never lets a held comment skip the queue.
            to_status = CommentStatus.PENDING
        Comment.objects.filter(pk=current.pk).update(
            body=body,
            body_html=body_html,
            edited_at=now,
            status=to_status,
            hold_reasons=[hit.as_dict() for hit in verdict.hits] or current.hold_reasons,
            version=F("version") + 1,
            status_changed_at=now if to_status != from_status else current.status_changed_at,
        )
        counters_apply(comment=current, from_status=from_status, to_status=to_status)
        if to_status != from_status:
            ModerationAction.objects.create(
                actor=None,
                action=(
                    "moderation.comment.held"
                    if to_status == CommentStatus.PENDING
                    else "moderation.comment.rejected_by_rule"
                ),
                comment=current,
                target_user_id=current.author_id,
                from_status=from_status,
                to_status=to_status,
                reason=verdict.hits[0].code if verdict.hits else "",
                note="after an edit by its author",
                data={"hits": [hit.as_dict() for hit in verdict.hits]},
                created_at=now,
            )
        current.refresh_from_db()
    return current


# ---------------------------------------------------------------- reports

REPORT_HIDE_THRESHOLD = 3


def report_file(
    *, comment: Comment, by, reason: str, note: str = "", now: datetime | None = None
) -> Report:
    """A reader reports a comment. One report per reader per comment; when enough
    distinct readers report a published comment it is hidden (back to pending) and
    waits in the Reported tab for a decision."""
    from moderation.models import ReportReason

    now = now or timezone.now()
    if not (by and by.is_authenticated):
        raise PermissionDenied("Sign in to report a comment.")
    if reason not in ReportReason.values:
        raise ModerationError("Choose one of the listed reasons for your report.")
    if by.pk == comment.author_id:
        raise ModerationError("You cannot report your own comment.")
    threshold = getattr(settings, "REPORT_HIDE_THRESHOLD", REPORT_HIDE_THRESHOLD)
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status != CommentStatus.PUBLISHED:
            raise ModerationError("This comment is not open to reports.")
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=current,
                    reporter=by,
                    reason=reason,
                    note=note.strip()[:1000],
                    created_at=now,
                )
        except IntegrityError:
            raise ModerationError("You have already reported this comment.") from None
        Comment.objects.filter(pk=current.pk).update(report_count=F("report_count") + 1)
        open_reports = Report.objects.filter(comment=current, resolved_at__isnull=True).count()
        if open_reports >= threshold:
            Comment.objects.filter(pk=current.pk).update(
                status=CommentStatus.PENDING, version=F("version") + 1, status_changed_at=now
            )
            counters_apply(
                comment=current,
                from_status=CommentStatus.PUBLISHED,
                to_status=CommentStatus.PENDING,
            )
            ModerationAction.objects.create(
                actor=None,
                action="moderation.comment.hidden_by_reports",
                comment=current,
                target_user_id=current.author_id,
                from_status=CommentStatus.PUBLISHED,
                to_status=CommentStatus.PENDING,
                reason="reports",
                data={"open_reports": open_reports},
                created_at=now,
            )
    return report


def reports_dismiss(
    *, comment: Comment, by, expected_version: int, note: str = "", now: datetime | None = None
) -> Comment:
    """Keep a published comment that readers reported: its open reports are
    resolved without a status change, and the dismissal is audited."""
    _require_moderator(by)
    now = now or timezone.now()
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.version != expected_version:
            raise _conflict(current)
        if current.status != CommentStatus.PUBLISHED:
            raise ModerationError("Only a published comment's reports can be dismissed.")
        resolved = Report.objects.filter(comment=current, resolved_at__isnull=True).update(
            resolved_at=now
        )
        if not resolved:
            raise ModerationError("This comment has no open reports.")
        # The version moves so a second moderator's stale decision is caught.
        Comment.objects.filter(pk=current.pk).update(version=F("version") + 1)
        ModerationAction.objects.create(
            actor=by,
            action="moderation.reports.dismissed",
            comment=current,
            target_user_id=current.author_id,
            from_status=current.status,
            to_status=current.status,
            note=note,
            data={"reports_resolved": resolved},
            created_at=now,
        )
        current.refresh_from_db()
    return current


# ---------------------------------------------------------------- sanctions


def _require_sanctionable(*, user, by) -> None:
    _require_moderator(by)
    if user.pk == by.pk:
        raise ModerationError("You cannot sanction your own account.")
    if user.is_staff or user.is_superuser or user.has_perm("comments.moderate_comment"):
        raise ModerationError("Staff and moderators cannot be sanctioned here.")


_SANCTION_ACTION = {
    SanctionKind.BAN: "moderation.user.banned",
    SanctionKind.SUSPEND: "moderation.user.suspended",
    SanctionKind.PREMODERATE: "moderation.user.premoderated",
}


def sanction_apply(
    *,
    user,
    by,
    kind: str,
    reason: str,
    until: datetime | None = None,
    now: datetime | None = None,
) -> Sanction:
    """Ban, suspend until a time, or always premoderate a user, with a reason the
    user is shown when they try to post."""
    now = now or timezone.now()
    _require_sanctionable(user=user, by=by)
    if kind not in SanctionKind.values:
        raise ModerationError("Choose ban, suspend or always premoderate.")
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason for the sanction.")
    if kind == SanctionKind.SUSPEND and until is None:
        raise ModerationError("A suspension needs an end time.")
    if until is not None and until <= now:
        raise ModerationError("The end time must be in the future.")
    with transaction.atomic():
        sanction = Sanction.objects.create(
            user=user,
            kind=kind,
            until=until,
            reason=reason[:1000],
            created_by=by,
            created_at=now,
        )
        ModerationAction.objects.create(
            actor=by,
            action=_SANCTION_ACTION[SanctionKind(kind)],
            target_user=user,
            reason=kind,
            note=reason,
            data={"sanction": sanction.pk, "until": until.isoformat() if until else None},
            created_at=now,
        )
    return sanction


def sanction_lift(*, sanction: Sanction, by, reason: str, now: datetime | None = None) -> Sanction:
    """End a sanction early. The row stays, with who lifted it and when."""
    now = now or timezone.now()
    _require_moderator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError("Give a reason for lifting the sanction.")
    with transaction.atomic():
        current = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if current.lifted_at is not None:
            raise ModerationError("This sanction was already lifted.")
        Sanction.objects.filter(pk=current.pk).update(lifted_at=now, lifted_by=by)
        ModerationAction.objects.create(
            actor=by,
            action="moderation.user.sanction_lifted",
            target_user_id=current.user_id,
            reason=current.kind,
            note=reason,
            data={"sanction": current.pk},
            created_at=now,
        )
        current.refresh_from_db()
    return current


def user_note_add(*, user, by, note: str, now: datetime | None = None) -> ModerationAction:
    """A moderator's note about a user, kept in the (append-only) audit log."""
    now = now or timezone.now()
    _require_moderator(by)
    note = (note or "").strip()
    if not note:
        raise ModerationError("Write a note first.")
    return ModerationAction.objects.create(
        actor=by,
        action="moderation.user.noted",
        target_user=user,
        note=note[:2000],
        created_at=now,
    )


# ---------------------------------------------------------------- word lists


def wordlist_add(*, term: str, kind: str, by, now: datetime | None = None) -> WordListEntry:
    """List a term to block or hold. Stored normalised, so "Word", "WORD" and
    full-width "ｗｏｒｄ" are one entry."""
    now = now or timezone.now()
    _require_moderator(by)
    term = " ".join((term or "").split())
    if not term:
        raise ModerationError("Type a word or phrase to list.")
    if len(term) > 100:
        raise ModerationError("Terms can be at most 100 characters.")
    if kind not in WordListKind.values:
        raise ModerationError("Choose block or hold.")
    normalized = rules.normalize(term)
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = WordListEntry.objects.create(
                    term=term, normalized=normalized, kind=kind, created_by=by, created_at=now
                )
        except IntegrityError:
            raise ModerationError(f"“{term}” is already listed.") from None
        _wordlists_changed()
        ModerationAction.objects.create(
            actor=by,
            action="moderation.wordlist.added",
            reason=kind,
            note=term,
            data={"term": term, "kind": kind},
            created_at=now,
        )
    return entry


def wordlist_remove(*, entry: WordListEntry, by, now: datetime | None = None) -> None:
    now = now or timezone.now()
    _require_moderator(by)
    with transaction.atomic():
        deleted, _ = WordListEntry.objects.filter(pk=entry.pk).delete()
        if not deleted:
            raise ModerationError("That term was already removed.")
        _wordlists_changed()
        ModerationAction.objects.create(
            actor=by,
            action="moderation.wordlist.removed",
            reason=entry.kind,
            note=entry.term,
            data={"term": entry.term, "kind": entry.kind},
            created_at=now,
        )
