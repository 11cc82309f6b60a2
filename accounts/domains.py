"""Disposable email domains refused at sign-up: the shipped list plus the ones
admins add in Django admin (BlockedEmailDomain)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from accounts.models import BlockedEmailDomain

SHIPPED_LIST = Path(__file__).resolve().parent / "data" / "disposable_domains.txt"


@cache
def shipped_domains() -> frozenset[str]:
    lines = SHIPPED_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def _candidates(domain: str) -> list[str]:
    # "a.b.mailinator.com" is refused by "mailinator.com" too.
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)]


def email_domain_blocked(email: str) -> bool:
    domain = email.rpartition("@")[2].strip().lower().rstrip(".")
    if not domain:
        return False
    candidates = _candidates(domain) or [domain]
    if shipped_domains().intersection(candidates):
        return True
    return BlockedEmailDomain.objects.filter(domain__in=candidates).exists()
