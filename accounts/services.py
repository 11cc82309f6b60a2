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
