from __future__ import annotations

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

    with transaction.atomic():
        if display_name != user.display_name:
            problem = display_name_problem(display_name, exclude_user_id=user.pk)
            if problem:
                raise ProfileError(problem)
        user.display_name = display_name
        user.notify_replies = notify_replies
        user.notify_moderation = notify_moderation
        user.save(update_fields=["display_name", "notify_replies", "notify_moderation"])
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
