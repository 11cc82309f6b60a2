"""Who is an editor, a moderator or an admin, changed by an admin and logged.

Every role change, from the `grant_role` command or the Django admin, goes
through `role_grant` or `role_revoke`: the acting admin is checked, the change
is made, and an audit entry (moderation.audit) names who changed whose role, in
the same transaction. It sits above moderation's kernel because the audit log is
moderation's (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import ROLE_GROUPS
from moderation import audit
from moderation.models import ActionCode

ROLES = (*ROLE_GROUPS, "admin")


class RoleError(Exception):
    """A role change that cannot be made; the message says why."""


def user_roles(user: User) -> list[str]:
    """The roles a user holds, in the order of ROLES."""
    groups = set(user.groups.values_list("name", flat=True))
    held = [role for role, group in ROLE_GROUPS.items() if group in groups]
    if user.is_superuser:
        held.append("admin")
    return held


def _check(*, user: User, role: str, by: User | None) -> None:
    if role not in ROLES:
        raise RoleError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    if by is not None and not (by.is_active and by.is_superuser):
        raise RoleError(_("Only an admin can change roles."))


def _change(*, user: User, role: str, by: User | None, now: datetime, grant: bool) -> bool:
    _check(user=user, role=role, by=by)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if (role in user_roles(locked)) == grant:
            return False
        if role == "admin":
            if not grant and by is not None and by.pk == locked.pk:
                raise RoleError(_("An admin cannot take away their own admin role."))
            User.objects.filter(pk=locked.pk).update(is_staff=grant, is_superuser=grant)
            user.is_staff = user.is_superuser = grant
        elif grant:
            user.groups.add(Group.objects.get(name=ROLE_GROUPS[role]))
        else:
            user.groups.remove(Group.objects.get(name=ROLE_GROUPS[role]))
        audit.record(
            action=ActionCode.ROLE_GRANTED if grant else ActionCode.ROLE_REVOKED,
            actor=by,
            target_user_id=user.pk,
            reason=role,
            data={"role": role},
            now=now,
        )
    # The permission caches of this instance are stale now.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return True


def role_grant(*, user: User, role: str, by: User | None, now: datetime) -> bool:
    """Give `user` a role (a group for editor and moderator, superuser for admin),
    as `by`, an admin (None: the system, e.g. the demo loader). Returns whether
    anything changed; a role already held is left as it is, and not logged."""
    return _change(user=user, role=role, by=by, now=now, grant=True)


def role_revoke(*, user: User, role: str, by: User | None, now: datetime) -> bool:
    """Take a role away from `user`, as `by`, an admin (not their own admin role).
    Returns whether anything changed."""
    return _change(user=user, role=role, by=by, now=now, grant=False)
