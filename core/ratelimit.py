"""Rate limits kept in the shared cache, so every app process counts the same hits.

A limit is "N/period" (period in s, m, h or d, optionally with a number: "30/10m").
Each scope counts per signed-in account and per client address (hashed); either
running out answers 429 with a readable page. Fixed windows keep it to one cache
round trip per check; allauth's own limits (login, sign-up, password reset) use
the same cache.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE_RE.match(text)
        if not match:
            raise ValueError(f"Bad rate {text!r}: use e.g. '10/m' or '30/10m'")
        count, mult, unit = match.groups()
        return cls(int(count), int(mult or 1) * _UNITS[unit])


def client_ip(request: HttpRequest) -> str:
    # Behind the production proxy REMOTE_ADDR is the proxy; the proxy must set
    # X-Forwarded-For and we trust only its last hop (settings.TRUSTED_PROXY_COUNT).
    hops: int = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if hops and forwarded:
        parts = [p.strip() for p in forwarded.split(",") if p.strip()]
        if len(parts) >= hops:
            return parts[-hops]
    return str(request.META.get("REMOTE_ADDR", "")) or "unknown"


def _bucket(scope: str, ident: str, rate: Rate, now: float) -> str:
    window = int(now // rate.period)
    digest = hashlib.sha256(f"{scope}|{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{rate.period}:{window}"


def hit(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> bool:
    """Count one hit; True while the caller is within the limit."""
    now = time.time() if now is None else now
    key = _bucket(scope, ident, rate, now)
    # add() is a no-op when the key exists, so concurrent first hits don't reset it.
    cache.add(key, 0, timeout=rate.period + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=rate.period + 5)
        count = 1
    return count <= rate.limit


def check(request: HttpRequest, scope: str) -> bool:
    """Count this request against the scope's limits (per account and per IP)."""
    limits = settings.RATE_LIMITS.get(scope)
    if not limits:
        return True
    allowed = True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and limits.get("user"):
        allowed &= hit(scope, f"user:{user.pk}", Rate.parse(limits["user"]))
    if limits.get("ip"):
        allowed &= hit(scope, f"ip:{client_ip(request)}", Rate.parse(limits["ip"]))
    return allowed


def too_many(request: HttpRequest, scope: str = "") -> HttpResponse:
    response = render(request, "429.html", {"scope": scope}, status=429)
    response["Retry-After"] = "60"
    return response


View = TypeVar("View", bound=Callable[..., HttpResponse])


def ratelimit(scope: str, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """View decorator: count requests of `methods` against the scope's limits."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods and not check(request, scope):
                return too_many(request, scope)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
