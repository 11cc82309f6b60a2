"""Changes to one account that stay inside accounts: email preferences, the
remembered comment order. Roles, which are audited, are accounts/rolechanges.py;
changes that reach into comments and moderation (a new display name, export,
deletion) are in accounts/lifecycle.py."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import CommentSort, InterfaceLanguage, User
from accounts.unsubscribe import KINDS


class ProfileError(Exception):
    """A profile change that cannot be made; the message is shown to the reader."""


def email_unsubscribe(*, user: User, kind: str) -> User:
    """Turn one kind of email off (from a signed unsubscribe link)."""
    if kind not in KINDS:
        raise ProfileError(_("Unknown kind of email."))
    field = KINDS[kind]
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{field: False})
        setattr(user, field, False)
    return user


def email_preferences_set(*, user: User, notify_replies: bool, notify_moderation: bool) -> User:
    """Turn the reader's emails about replies and moderation decisions on or off."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            notify_replies=notify_replies, notify_moderation=notify_moderation
        )
        user.notify_replies, user.notify_moderation = notify_replies, notify_moderation
    return user


def notifications_seen(*, user: User, now: datetime) -> User:
    """The reader opened their notifications: everything up to `now` is read."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(notifications_seen_at=now)
        user.notifications_seen_at = now
    return user


def comment_sort_remember(*, user: User, sort: str) -> User:
    """Keep the reader's chosen comment order for their next visit."""
    return _remember(user, "comment_sort", sort, CommentSort.values)


def language_remember(*, user: User, language: str) -> User:
    """Keep the interface language the reader chose ("" for their browser's)."""
    return _remember(user, "language", language, InterfaceLanguage.values)


def _remember(user: User, field: str, value: str, allowed: list[str]) -> User:
    """Keep one of the reader's choices (a value of `allowed`); anything else, or the
    value already kept, changes nothing."""
    if value not in allowed or value == getattr(user, field):
        return user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{field: value})
        setattr(user, field, value)
    return user
