"""A comment a reader has written but not yet posted, kept with their session.

A reader who writes before signing in, before signing up, or before confirming
their email must not lose the text: the view keeps it here, under the article
and the comment it answers, with the address to come back to, and the article
page puts it back in the box. It is posted only when the reader presses "Post"
again (never on their behalf), and dropped once posted.

Plain session data, knowing no app: the sign-up and confirmation steps
(accounts.adapter) read the address to come back to, the comment views keep and
restore the text.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

SESSION_KEY = "comment_drafts"
# Drafts kept per session; the oldest goes first. A reader has one or two open.
MAX_DRAFTS = 5
# Far more than a comment may be (the form then says by how much), so nothing a
# reader typed is cut; still bounded, since a session is stored.
MAX_DRAFT_CHARS = 100_000


def _key(article_id: int, parent_id: int | None, editing: int | None = None) -> str:
    # An edit of comment N is kept apart from a reply to it.
    return f"{article_id}:{parent_id or 0}" + (f":edit{editing}" if editing else "")


def _drafts(session: MutableMapping[str, Any]) -> dict[str, dict[str, str]]:
    drafts = session.get(SESSION_KEY)
    return drafts if isinstance(drafts, dict) else {}


def draft_keep(
    session: MutableMapping[str, Any],
    *,
    article_id: int,
    parent_id: int | None,
    body: str,
    back_to: str,
    editing: int | None = None,
) -> bool:
    """Keep `body` as the draft for the article (and the comment it answers);
    `back_to` is where the reader finds the form again. False (nothing kept) when
    the text is empty or absurdly long."""
    if not body.strip() or len(body) > MAX_DRAFT_CHARS:
        return False
    drafts = _drafts(session)
    key = _key(article_id, parent_id, editing)
    drafts.pop(key, None)
    drafts[key] = {"body": body, "back_to": back_to}
    while len(drafts) > MAX_DRAFTS:
        del drafts[next(iter(drafts))]
    session[SESSION_KEY] = drafts
    return True


def draft_text(
    session: MutableMapping[str, Any],
    *,
    article_id: int,
    parent_id: int | None,
    editing: int | None = None,
) -> str:
    """The kept text for the article (and parent, or the comment being edited), or ""."""
    draft = _drafts(session).get(_key(article_id, parent_id, editing))
    return draft.get("body", "") if isinstance(draft, dict) else ""


def draft_drop(
    session: MutableMapping[str, Any],
    *,
    article_id: int,
    parent_id: int | None,
    editing: int | None = None,
) -> None:
    drafts = _drafts(session)
    if drafts.pop(_key(article_id, parent_id, editing), None) is not None:
        session[SESSION_KEY] = drafts


def draft_back_to(session: MutableMapping[str, Any]) -> str | None:
    """Where the latest kept draft waits (a path on this site), or None."""
    drafts = _drafts(session)
    if not drafts:
        return None
    latest = drafts[next(reversed(drafts))]
    back_to = latest.get("back_to", "") if isinstance(latest, dict) else ""
    # Only a path on this site: the session is ours, but an address is checked anyway.
    return back_to if back_to.startswith("/") and not back_to.startswith("//") else None
