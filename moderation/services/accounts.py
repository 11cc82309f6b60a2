"""Moderators and readers' accounts: sanctions (ban, suspend, always premoderate)
and notes about a user. Screening reads the sanctions in force
(moderation.screening); the audit log keeps every act."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from comments.access import can_moderate
from moderation import audit
from moderation.lifecycle import ModerationError
from moderation.models import ActionCode, ModerationAction, Sanction, SanctionKind
from moderation.services.decisions import require_moderator


def _require_sanctionable(*, user: User, by: User) -> None:
    require_moderator(by)
    if user.pk == by.pk:
        raise ModerationError(_("You cannot sanction your own account."))
    if user.is_staff or user.is_superuser or can_moderate(user):
        raise ModerationError(_("Staff and moderators cannot be sanctioned here."))


_SANCTION_ACTION = {
    SanctionKind.BAN: ActionCode.USER_BANNED,
    SanctionKind.SUSPEND: ActionCode.USER_SUSPENDED,
    SanctionKind.PREMODERATE: ActionCode.USER_PREMODERATED,
}


def sanction_apply(
    *,
    user: User,
    by: User,
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
        raise ModerationError(_("Choose ban, suspend or always premoderate."))
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Give a reason for the sanction."))
    if kind == SanctionKind.SUSPEND and until is None:
        raise ModerationError(_("A suspension needs an end time."))
    if until is not None and until <= now:
        raise ModerationError(_("The end time must be in the future."))
    with transaction.atomic():
        sanction = Sanction.objects.create(
            user=user,
            kind=kind,
            until=until,
            reason=reason[:1000],
            created_by=by,
            created_at=now,
        )
        audit.record(
            action=_SANCTION_ACTION[SanctionKind(kind)],
            actor=by,
            target_user_id=user.pk,
            reason=kind,
            note=reason,
            data={"sanction": sanction.pk, "until": until.isoformat() if until else None},
            now=now,
        )
    return sanction


def sanction_lift(
    *, sanction: Sanction, by: User, reason: str, now: datetime | None = None
) -> Sanction:
    """End a sanction early. The row stays, with who lifted it and when."""
    now = now or timezone.now()
    require_moderator(by)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Give a reason for lifting the sanction."))
    with transaction.atomic():
        current = Sanction.objects.select_for_update().get(pk=sanction.pk)
        if current.lifted_at is not None:
            raise ModerationError(_("This sanction was already lifted."))
        Sanction.objects.filter(pk=current.pk).update(lifted_at=now, lifted_by=by)
        audit.record(
            action=ActionCode.SANCTION_LIFTED,
            actor=by,
            target_user_id=current.user_id,
            reason=current.kind,
            note=reason,
            data={"sanction": current.pk},
            now=now,
        )
        current.refresh_from_db()
    return current


def user_note_add(
    *, user: User, by: User, note: str, now: datetime | None = None
) -> ModerationAction:
    """A moderator's note about a user, kept in the (append-only) audit log."""
    now = now or timezone.now()
    require_moderator(by)
    note = (note or "").strip()
    if not note:
        raise ModerationError(_("Write a note first."))
    return audit.record(
        action=ActionCode.USER_NOTED, actor=by, target_user_id=user.pk, note=note[:2000], now=now
    )
