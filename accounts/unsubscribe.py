"""One-click unsubscribe links: a signed token naming the reader and the kind of
email, so the link works from any mail client without signing in."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "metoo.accounts.unsubscribe"
KINDS = {
    "replies": "notify_replies",
    "moderation": "notify_moderation",
}


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown email kind {kind!r}")
    return signing.dumps({"u": user_id, "k": kind}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) for a genuine token; None for anything forged or mangled."""
    try:
        data = signing.loads(token, salt=SALT)
        user_id, kind = int(data["u"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return (user_id, kind) if kind in KINDS else None


def unsubscribe_url(*, user_id: int, kind: str) -> str:
    token = unsubscribe_token(user_id=user_id, kind=kind)
    return settings.SITE_URL + reverse("accounts:unsubscribe", kwargs={"token": token})
