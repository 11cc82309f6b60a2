"""Changes to one account that stay inside accounts: roles, email preferences,
the remembered comment order. Changes that reach into comments and moderation
(a new display name, export, deletion) are in accounts/lifecycle.py."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import CommentSort, User
from accounts.roles import ROLE_GROUPS
from accounts.unsubscribe import KINDS


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


def email_unsubscribe(*, user: User, kind: str) -> User:
    """Turn one kind of email off (from a signed unsubscribe link)."""
    if kind not in KINDS:
        raise ProfileError("Unknown kind of email.")
    field = KINDS[kind]
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(**{field: False})
        setattr(user, field, False)
    return user


def comment_sort_remember(*, user: User, sort: str) -> User:
    """Keep the reader's chosen comment order for their next visit."""
    if sort not in CommentSort.values or sort == user.comment_sort:
        return user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(comment_sort=sort)
        user.comment_sort = sort
    return user
