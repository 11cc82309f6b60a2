"""The one writer of the audit log. Every service that changes a comment, an
account's standing or a word list calls `record` inside its own transaction, so
the act and its trail commit together or not at all (the table itself refuses
UPDATE and DELETE: migrations/0002_audit_append_only.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import User
from comments.models import Comment
from moderation.models import ActionCode, ModerationAction


def record(
    *,
    action: ActionCode,
    actor: User | None,
    now: datetime,
    comment: Comment | None = None,
    target_user_id: int | None = None,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> ModerationAction:
    """Append one entry. `actor` None is the system (screening, report counts, an
    import). A comment's author is its target unless another is named."""
    if target_user_id is None and comment is not None:
        target_user_id = comment.author_id
    return ModerationAction.objects.create(
        actor=actor,
        action=action,
        comment=comment,
        target_user_id=target_user_id,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        note=note,
        data=data or {},
        created_at=now,
    )
