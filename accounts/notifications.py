"""A reader's notifications in the site: replies to their comments, their
comments made editors' picks, and moderators' decisions on their comments.

Read from what already records each of them (the replies themselves, the pick's
time on the comment, the audit log), so nothing is written twice and nothing
can drift: a reply a moderator later removes stops being a notification. What
came after the reader last opened the page (`User.notifications_seen_at`) is
unread; the count in the header is kept a minute in the cache per reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from comments.models import Comment, CommentStatus, Pick
from moderation.models import ActionCode, ModerationAction

SHOWN = 50
UNREAD_TTL = 60
# Moderators' decisions that change what readers see of a comment.
OUTCOMES = {
    ActionCode.APPROVED: gettext_lazy("A moderator approved your comment: it is published."),
    ActionCode.REJECTED: gettext_lazy("A moderator rejected your comment."),
    ActionCode.REMOVED: gettext_lazy("A moderator removed your comment."),
    ActionCode.RESTORED: gettext_lazy("A moderator restored your comment."),
    ActionCode.HIDDEN_BY_REPORTS: gettext_lazy(
        "Your comment is hidden after readers' reports, until a moderator looks at it."
    ),
}


class Kind:
    REPLY = "reply"
    PICK = "pick"
    MODERATION = "moderation"


@dataclass(frozen=True)
class Notice:
    kind: str
    at: datetime
    text: str
    url: str  # the comment it is about, in its thread
    article_title: str
    unread: bool


def _named(name: str) -> str:
    """A reader's name inside a right-to-left sentence, isolated (FSI ... PDI, the
    plain-text <bdi>) so a Latin name and its full stop keep their places."""
    return f"\u2068{name}\u2069" if translation.get_language_bidi() else name


def _since(user: User) -> datetime:
    return user.notifications_seen_at or user.date_joined


def _replies(user: User) -> Any:
    return (
        Comment.objects.filter(parent__author=user, status=CommentStatus.PUBLISHED)
        .exclude(author=user)
        .filter(article__status="published")
    )


def _picks(user: User) -> Any:
    return Pick.objects.filter(comment__author=user, comment__status=CommentStatus.PUBLISHED)


def _outcomes(user: User) -> Any:
    return (
        ModerationAction.objects.filter(
            target_user=user, comment__author=user, action__in=list(OUTCOMES)
        )
        .exclude(actor=user)
        .exclude(action=ActionCode.APPROVED, from_status=CommentStatus.PUBLISHED)
    )


def notifications_for(*, user: User) -> list[Notice]:
    """The reader's latest notifications, newest first; unread ones marked."""
    since = _since(user)
    base = reverse("comments:permalink", args=[1]).removesuffix("1/")
    found: list[Notice] = []
    # Translated once for the page, not once per notice.
    replied = _("%(name)s replied to your comment.")
    picked = _("Your comment was chosen as an editors' pick.")
    outcomes = {code: str(text) for code, text in OUTCOMES.items()}
    for c in (
        _replies(user).select_related("author", "article").order_by("-created_at", "-id")[:SHOWN]
    ):
        found.append(
            Notice(
                Kind.REPLY,
                c.created_at,
                replied % {"name": _named(c.author.display_name)},
                f"{base}{c.pk}/",
                c.article.title,
                c.created_at > since,
            )
        )
    for pick in _picks(user).select_related("article").order_by("-created_at", "-id")[:SHOWN]:
        found.append(
            Notice(
                Kind.PICK,
                pick.created_at,
                picked,
                f"{base}{pick.comment_id}/",
                pick.article.title,
                pick.created_at > since,
            )
        )
    for a in (
        _outcomes(user).select_related("comment__article").order_by("-created_at", "-id")[:SHOWN]
    ):
        assert a.comment is not None
        found.append(
            Notice(
                Kind.MODERATION,
                a.created_at,
                outcomes[ActionCode(a.action)],
                f"{base}{a.comment_id}/",
                a.comment.article.title,
                a.created_at > since,
            )
        )
    found.sort(key=lambda n: n.at, reverse=True)
    return found[:SHOWN]


def _unread_key(user: User) -> str:
    return f"notifications-unread:{user.pk}:{_since(user).timestamp()}"


def unread_count(*, user: User) -> int:
    """How many notifications came since the reader last looked (kept a minute)."""
    key = _unread_key(user)
    count = cache.get(key)
    if count is None:
        since = _since(user)
        count = (
            _replies(user).filter(created_at__gt=since).count()
            + _picks(user).filter(created_at__gt=since).count()
            + _outcomes(user).filter(created_at__gt=since).count()
        )
        cache.set(key, count, UNREAD_TTL)
    return int(count)


def count_on_sign_in(sender: object, user: User, **kwargs: object) -> None:
    """`user_logged_in` receiver (AccountsConfig.ready): the count, ready for the
    first page."""
    unread_count(user=user)
