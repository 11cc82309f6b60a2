from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from accounts.roles import ROLE_GROUPS


class RoleError(Exception):
    pass


ROLES = (*ROLE_GROUPS, "admin")


def role_grant(*, user: User, role: str) -> User:
    """Give a user a role: a group for editor and moderator, superuser for admin."""
    if role not in ROLES:
        raise RoleError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    with transaction.atomic():
        if role == "admin":
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        else:
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


def role_revoke(*, user: User, role: str) -> User:
    if role not in ROLES:
        raise RoleError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    with transaction.atomic():
        if role == "admin":
            user.is_staff = False
            user.is_superuser = False
            user.save(update_fields=["is_staff", "is_superuser"])
        else:
            user.groups.remove(Group.objects.get(name=ROLE_GROUPS[role]))
    return user


class ProfileError(Exception):
    """A profile change that cannot be made; the message is shown to the reader."""


def profile_update(
    *, user: User, display_name: str, notify_replies: bool, notify_moderation: bool
) -> User:
    """Change a reader's display name and email preferences. The name must already
    be normalised; it is checked again here so every caller gets the same rules."""
    from accounts.names import display_name_problem

    name_changed = display_name != user.display_name
    with transaction.atomic():
        if name_changed:
            problem = display_name_problem(display_name, exclude_user_id=user.pk)
            if problem:
                raise ProfileError(problem)
        user.display_name = display_name
        user.notify_replies = notify_replies
        user.notify_moderation = notify_moderation
        user.save(update_fields=["display_name", "notify_replies", "notify_moderation"])
        if name_changed:
            # Cached threads carry the old name next to every comment.
            from comments.services import author_threads_changed

            author_threads_changed(author=user)
    return user


def email_unsubscribe(*, user: User, kind: str) -> User:
    """Turn one kind of email off (from a signed unsubscribe link)."""
    from accounts.unsubscribe import KINDS

    if kind not in KINDS:
        raise ProfileError("Unknown kind of email.")
    field = KINDS[kind]
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{field: False})
        setattr(user, field, False)
    return user


def comment_sort_remember(*, user: User, sort: str) -> User:
    """Keep the reader's chosen comment order for their next visit."""
    from accounts.models import CommentSort

    if sort not in CommentSort.values or sort == user.comment_sort:
        return user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(comment_sort=sort)
        user.comment_sort = sort
    return user


# ---------------------------------------------------------------- account deletion

DELETED_NAME = "deleted account"
DELETED_COMMENTS_CHOICES = ("anonymise", "remove")


class AccountDeletionError(Exception):
    """The account cannot be deleted here; the message is shown to its owner."""


def account_delete(*, user: User, now: datetime, comments: str | None = None) -> User:
    """Delete a reader's account at their request.

    The row stays (moderation records, sanctions and replies point at it) but
    keeps nothing personal: email, name, password, addresses, preferences,
    recommendations, IP hashes and user agents go. Their comments either stay
    under the name "deleted account" ("anonymise") or are withdrawn as if the
    author had deleted each one ("remove"), per settings.ACCOUNT_DELETED_COMMENTS.
    The moderation side (audit log, sanctions, reports they received) is kept.
    Staff accounts are refused: their roles must be revoked first."""
    from allauth.account.models import EmailAddress
    from django.conf import settings

    from comments import services as comment_services
    from comments.models import Comment, CommentStatus
    from moderation import services as moderation

    mode = comments or settings.ACCOUNT_DELETED_COMMENTS
    if mode not in DELETED_COMMENTS_CHOICES:
        raise AccountDeletionError(f"Unknown way to treat comments: {mode!r}.")
    if user.deleted_at is not None:
        raise AccountDeletionError("This account is already deleted.")
    if user.is_staff or user.is_superuser or user.groups.exists():
        raise AccountDeletionError(
            "Staff accounts cannot be deleted here: ask an admin to revoke your roles first."
        )
    with transaction.atomic():
        if mode == "remove":
            live = Comment.objects.filter(
                author=user,
                status__in=[CommentStatus.PUBLISHED, CommentStatus.PENDING],
            ).order_by("pk")
            for comment in live:
                moderation.comment_delete_by_author(comment=comment, by=user, now=now)
        comment_services.recommendations_withdraw_all(user=user)
        comment_services.author_private_data_purge(author=user)
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.display_name = DELETED_NAME
        user.set_unusable_password()
        user.is_active = False
        user.notify_replies = False
        user.notify_moderation = False
        user.deleted_at = now
        user.save(
            update_fields=[
                "email",
                "display_name",
                "password",
                "is_active",
                "notify_replies",
                "notify_moderation",
                "deleted_at",
            ]
        )
        # Cached threads still show the old name beside their comments.
        comment_services.author_threads_changed(author=user)
    return user
