"""Who may see a comment, and who may do what with it. One rule each, here; the
thread selectors and renderer, the views, the templates' context and the
services all ask these functions and decide nothing of their own.

Seeing: a reader sees a comment's text when it is published, or when it is
their own and awaiting moderation. A comment they may not see keeps its place,
as a placeholder, where something they may see hangs below it (a withdrawn
comment with replies, say). Rejected comments never appear in a thread.

Acting: see `refusal`, which says in the reader's words why an act is not open
to them, or None when it is. Reporting and recommending weigh on other people's
comments, so they also take the reader's own `Standing`: an email address they
confirmed, and no ban or suspension in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from comments.models import Comment, CommentStatus
from core.dates import newsdate
from moderation.models import Sanction, SanctionKind

_PUBLISHED = CommentStatus.PUBLISHED.value
_PENDING = CommentStatus.PENDING.value
# Shown in a thread as placeholders (never their text), so replies keep their place.
PLACEHOLDER_STATUSES = frozenset({CommentStatus.DELETED_BY_AUTHOR, CommentStatus.REMOVED})

# ---------------------------------------------------------------- who may see


def may_read(status: str, author_id: int, viewer_id: int | None) -> bool:
    """Whether the reader `viewer_id` (None: anonymous) sees this comment's text."""
    return status == _PUBLISHED or (
        status == _PENDING and viewer_id is not None and author_id == viewer_id
    )


def may_start_thread(status: str, author_id: int, viewer_id: int | None) -> bool:
    """Whether a top-level comment opens a thread on the reader's page: one they
    may read, or a placeholder whose replies they may."""
    return status in PLACEHOLDER_STATUSES or may_read(status, author_id, viewer_id)


def thread_starters(viewer_id: int | None) -> Q:
    """`may_start_thread` as a query filter, for the keyset pages of threads."""
    q = Q(status=_PUBLISHED) | Q(status__in=PLACEHOLDER_STATUSES)
    if viewer_id is not None:
        q |= Q(status=_PENDING, author_id=viewer_id)
    return q


def placeholder(status: str, author_id: int, viewer_id: int | None) -> str:
    """What a reader sees instead of a comment they may not read ("" when they may)."""
    if may_read(status, author_id, viewer_id):
        return ""
    if status == CommentStatus.DELETED_BY_AUTHOR:
        return _("This comment was deleted by its author.")
    if status == CommentStatus.REMOVED:
        return _("This comment was removed by a moderator.")
    return _("This comment is hidden while moderators review it.")


def viewer_id(user: User | None) -> int | None:
    """The id the rules above take: a signed-in reader's, else None."""
    return user.pk if user is not None and user.is_authenticated else None


# ---------------------------------------------------------------- who may act


class Act(StrEnum):
    REPLY = "reply"
    EDIT = "edit"
    DELETE = "delete"
    REPORT = "report"
    RECOMMEND = "recommend"


@dataclass(frozen=True, slots=True)
class Standing:
    """The reader's own standing, which decides whether they may report and
    recommend: acts that weigh on someone else's comment (three reports can hide
    it), so they are open only to readers who confirmed their email address and
    are not banned or suspended. Posting checks the same facts its own way
    (comments.services: the confirmation link is sent again; screening refuses a
    sanctioned author)."""

    verified: bool
    # SanctionKind.BAN or SanctionKind.SUSPEND when one is in force, else "".
    sanction: str = ""
    # When that ban or suspension ends (None: a ban until lifted).
    until: datetime | None = None


# A confirmed, unsanctioned reader: what the shared thread rendering assumes (see
# `acts`), and the standing of acts that do not depend on it.
IN_GOOD_STANDING = Standing(verified=True)
# The acts `Standing` decides.
STANDING_ACTS = frozenset({Act.REPORT, Act.RECOMMEND})


def reader_standing(user: User, *, now: datetime) -> Standing:
    """The standing of a signed-in reader at `now` (two small indexed reads)."""
    verified = EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    barring = list(
        Sanction.objects.filter(user_id=user.pk, kind__in=[SanctionKind.BAN, SanctionKind.SUSPEND])
        .in_force(now)
        .order_by("created_at", "id")
    )
    bans = [s for s in barring if s.kind == SanctionKind.BAN]
    if bans:
        # The ban that lasts longest: one until lifted, else the latest end.
        ends = [s.until for s in bans]
        until = None if None in ends else max(e for e in ends if e is not None)
        return Standing(verified=verified, sanction=SanctionKind.BAN, until=until)
    if barring:
        latest = max(s.until for s in barring if s.until is not None)
        return Standing(verified=verified, sanction=SanctionKind.SUSPEND, until=latest)
    return Standing(verified=verified)


def _standing_refusal(act: Act, standing: Standing) -> str | None:
    # Whole sentences, one per case, so that each reads naturally in translation.
    reporting = act == Act.REPORT
    if standing.sanction:
        banned = standing.sanction == SanctionKind.BAN
        if standing.until is None:
            if banned:
                if reporting:
                    return _("Your account is banned, so you cannot report comments.")
                return _("Your account is banned, so you cannot recommend comments.")
            if reporting:
                return _("Your account is suspended, so you cannot report comments.")
            return _("Your account is suspended, so you cannot recommend comments.")
        if banned:
            text = (
                _(
                    "Your account is banned until %(date)s, so you cannot report comments "
                    "until then."
                )
                if reporting
                else _(
                    "Your account is banned until %(date)s, so you cannot recommend "
                    "comments until then."
                )
            )
        else:
            text = (
                _(
                    "Your account is suspended until %(date)s, so you cannot report "
                    "comments until then."
                )
                if reporting
                else _(
                    "Your account is suspended until %(date)s, so you cannot recommend "
                    "comments until then."
                )
            )
        return text % {"date": newsdate(standing.until)}
    if not standing.verified:
        if reporting:
            return _(
                "Confirm your email address before reporting comments. You can have the "
                "link sent again from Email addresses in your profile."
            )
        return _(
            "Confirm your email address before recommending comments. You can have the "
            "link sent again from Email addresses in your profile."
        )
    return None


def refusal(
    act: Act,
    *,
    signed_in: bool,
    mine: bool,
    status: str,
    in_edit_window: bool,
    comments_open: bool,
    standing: Standing,
) -> str | None:
    """Why the reader may not do `act` to a comment, in their words; None when they
    may. `mine`: they wrote it. `in_edit_window`: it is young enough to edit.
    `standing`: the reader's own (read only for STANDING_ACTS)."""
    if not signed_in:
        match act:
            case Act.REPLY:
                return _("Sign in to comment.")
            case Act.RECOMMEND:
                return _("Sign in to recommend comments.")
            case Act.REPORT:
                return _("Sign in to report a comment.")
            case Act.EDIT:
                return _("You can only edit your own comments.")
            case Act.DELETE:
                return _("You can only delete your own comments.")
    if act in STANDING_ACTS:
        problem = _standing_refusal(act, standing)
        if problem:
            return problem
    match act:
        case Act.REPLY:
            if not comments_open:
                return _("Comments are closed on this article.")
            if status != _PUBLISHED:
                return _("That comment can no longer be replied to.")
        case Act.EDIT:
            if not mine:
                return _("You can only edit your own comments.")
            if not comments_open:
                return _("Comments are closed on this article.")
            if not in_edit_window:
                minutes = settings.COMMENT_EDIT_WINDOW_MINUTES
                return ngettext(
                    "Comments can only be edited within %(minutes)s minute of posting.",
                    "Comments can only be edited within %(minutes)s minutes of posting.",
                    minutes,
                ) % {"minutes": minutes}
            if status not in {_PUBLISHED, _PENDING}:
                return _("This comment can no longer be edited.")
        case Act.DELETE:
            if not mine:
                return _("You can only delete your own comments.")
        case Act.REPORT:
            if mine:
                return _("You cannot report your own comment.")
            if status != _PUBLISHED:
                return _("This comment is not open to reports.")
        case Act.RECOMMEND:
            if mine:
                return _("You cannot recommend your own comment.")
            if status != _PUBLISHED:
                return _("This comment cannot be recommended.")
    return None


def refusal_for(act: Act, *, user: User | None, comment: Comment, now: datetime) -> str | None:
    """`refusal` for a stored comment (its article loaded) and a user, at `now`.
    Reads the reader's standing when the act depends on it."""
    signed_in = bool(user and user.is_authenticated and user.is_active)
    standing = IN_GOOD_STANDING
    if signed_in and user is not None and act in STANDING_ACTS:
        standing = reader_standing(user, now=now)
    return refusal(
        act,
        signed_in=signed_in,
        mine=signed_in and user is not None and user.pk == comment.author_id,
        status=comment.status,
        in_edit_window=comment.created_at >= edit_cutoff(now),
        comments_open=comment.article.comments_open(now),
        standing=standing,
    )


@cache
def _allowed(
    signed_in: bool, mine: bool, status: str, in_edit_window: bool, comments_open: bool
) -> frozenset[Act]:
    return frozenset(
        act
        for act in Act
        if refusal(
            act,
            signed_in=signed_in,
            mine=mine,
            status=status,
            in_edit_window=in_edit_window,
            comments_open=comments_open,
            standing=IN_GOOD_STANDING,
        )
        is None
    )


def edit_cutoff(now: datetime) -> datetime:
    """Comments posted at or after this may still be edited."""
    return now - timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)


def acts(
    *,
    viewer_id: int | None,
    author_id: int,
    status: str,
    created_at: datetime,
    comments_open: bool,
    cutoff: datetime,
) -> frozenset[Act]:
    """Every act `refusal` leaves open to the reader on this comment. Cheap: the
    thread renderer asks it for each of thousands of comments.

    The reader is taken to be in good standing (IN_GOOD_STANDING): one rendering
    of a thread is shared by every signed-in reader who wrote and recommended
    nothing in it (comments.threadcache), and a ban, a suspension or a missing
    confirmation is a fact about the reader, not the thread. The Report and
    Recommend buttons are therefore drawn for them too; using one asks
    `refusal_for`, which says why in plain words (the report form's place shows
    the reason instead of the form; the recommend button shows it beside it)."""
    return _allowed(
        viewer_id is not None,
        viewer_id is not None and viewer_id == author_id,
        status,
        created_at >= cutoff,
        comments_open,
    )


def open_after_sign_in(*, status: str, comments_open: bool) -> frozenset[Act]:
    """What an anonymous reader could do here once signed in (the "Sign in to
    reply" link): the acts of a signed-in reader who did not write it."""
    return _allowed(True, False, status, False, comments_open)


def can_moderate(user: User | None) -> bool:
    """Whether `user` may decide comments, sanction readers and keep the word lists."""
    return bool(user and user.is_authenticated and user.has_perm("comments.moderate_comment"))


def can_feature(user: User | None) -> bool:
    """Whether `user` may make a comment an editors' pick or take it back
    (editors and moderators: comments.feature_comment)."""
    return bool(user and user.is_authenticated and user.has_perm("comments.feature_comment"))
