"""Rate limits shared by every app process, exact when requests arrive at once.

A scope ("comment", "signup") has rates per signed-in account and per client address
(hashed; an IPv6 address counts with its /64, which one subscriber holds). Rates are
fixed windows (`core.rates`): one counter per window, so one atomic round trip per
rate. Running out answers 429 with a page that says how long to wait.

The counter lives where the cache the settings chose (`CACHE_URL`) keeps its data,
and is incremented in one atomic step on each:

- the database cache: an `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` on a table
  of its own (`metoo_rate_limit`, made by `metoo_site/migrations/0002_rate_limit_
  counters.py` beside the cache table; Django's cache would read then write, and
  culls its oldest keys, rate limits first, once it holds 300 entries);
- Redis: INCR and, when the key has no expiry yet, EXPIRE in one Lua script, so no
  counter lives forever; while Redis is down the limits let requests through and
  the log says so once (the site keeps serving, as it does without the cache);
- local memory (`CACHE_URL=locmem`): under a lock, exact within one process only.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import rates
from core.rates import Rate, parse_rates

__all__ = [
    "CACHE_ERRORS",
    "COUNTER_TABLE",
    "Rate",
    "Verdict",
    "address_key",
    "check",
    "clear_counts",
    "client_ip",
    "hit",
    "parse_rates",
    "ratelimit",
    "take",
    "too_many",
    "wait_words",
]

log = logging.getLogger(__name__)


class _TranslatedWaitWords(rates.WaitWords):
    """A wait's words in the interface's language (core.rates knows no gettext)."""

    def seconds(self, n: int) -> str:
        return ngettext("%(n)s second", "%(n)s seconds", n) % {"n": n}

    def minutes(self, n: int) -> str:
        return ngettext("%(n)s minute", "%(n)s minutes", n) % {"n": n}

    def hours(self, n: int) -> str:
        return ngettext("%(n)s hour", "%(n)s hours", n) % {"n": n}

    def hours_and_minutes(self, hours: int, minutes: int) -> str:
        return _("%(hours)s and %(minutes)s") % {
            "hours": self.hours(hours),
            "minutes": self.minutes(minutes),
        }


_WAIT_WORDS = _TranslatedWaitWords()


def wait_words(seconds: float) -> str:
    """core.rates.wait_words in the interface's language: "3 minutes", "3 منٹ"."""
    return rates.wait_words(seconds, _WAIT_WORDS)


_REDIS_ERRORS: tuple[type[Exception], ...]
try:
    from redis.exceptions import RedisError

    _REDIS_ERRORS = (RedisError,)
except ImportError:  # redis is optional: only CACHE_URL=redis://... needs it
    _REDIS_ERRORS = ()
# What reading the shared cache raises when the database or Redis behind it is down.
CACHE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, *_REDIS_ERRORS)

# The database cache's counters: key, hits in the window, when the row may go (epoch s).
COUNTER_TABLE = "metoo_rate_limit"
# A counter outlives its window by this much, so a process whose clock is a little
# behind still finds it.
_SLACK = 5
# Expired counters deleted per new window at most (the table stays small).
_PURGE_BATCH = 500

_INCREMENT_SQL = f"""
INSERT INTO {COUNTER_TABLE} AS c (key, hits, expires) VALUES (%s, 1, %s)
ON CONFLICT (key) DO UPDATE
SET hits = CASE WHEN c.expires > %s THEN c.hits + 1 ELSE 1 END,
    expires = CASE WHEN c.expires > %s THEN c.expires ELSE EXCLUDED.expires END
RETURNING hits
"""  # noqa: S608 (the table name is a constant)
_PEEK_SQL = f"SELECT hits FROM {COUNTER_TABLE} WHERE key = %s AND expires > %s"  # noqa: S608
_PURGE_SQL = f"""
DELETE FROM {COUNTER_TABLE} WHERE key IN (
    SELECT key FROM {COUNTER_TABLE} WHERE expires <= %s
    LIMIT {_PURGE_BATCH} FOR UPDATE SKIP LOCKED
)
"""  # noqa: S608

# Redis: count, and give the key its expiry if it has none (the first hit, or a key
# left without one): one script runs atomically, so no request sees a half-made key.
_REDIS_INCREMENT = """
local hits = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return hits
"""

_LOCAL_LOCK = threading.Lock()


class _RedisOutage:
    """A Redis that stopped answering, per server: said once in the log (and once when
    it answers again), and left alone for a second after each failure, so a request
    waits at most one connection timeout a second, not one per limit."""

    RETRY_SECONDS = 1.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._retry_at: dict[str, float] = {}

    def skip(self, server: str) -> bool:
        with self._lock:
            return time.monotonic() < self._retry_at.get(server, 0.0)

    def failed(self, server: str) -> None:
        with self._lock:
            first = server not in self._retry_at
            self._retry_at[server] = time.monotonic() + self.RETRY_SECONDS
        if first:
            log.warning("Rate limits not counted: the Redis cache is unreachable", exc_info=True)

    def answered(self, server: str) -> None:
        with self._lock:
            was_down = self._retry_at.pop(server, None) is not None
        if was_down:
            log.warning("Rate limits counted again: the Redis cache answers")


_redis_outage = _RedisOutage()


@dataclass(frozen=True)
class Verdict:
    """Whether a request is within its limits; if not, the seconds until it would be."""

    allowed: bool
    retry_after: int = 0

    def __bool__(self) -> bool:
        return self.allowed

    @classmethod
    def combine(cls, verdicts: Iterable[Verdict]) -> Verdict:
        refused = [v.retry_after for v in verdicts if not v.allowed]
        return cls(False, max(refused)) if refused else ALLOWED


ALLOWED = Verdict(True, 0)


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


def address_key(ip: str) -> str:
    """What a per-address limit counts: the address, or for IPv6 its /64, since one
    subscriber is given a whole /64 and could otherwise take a new address per try."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False).network_address)
    return str(address)


def _bucket(scope: str, ident: str, rate: Rate, now: float) -> str:
    window = int(now // rate.period)
    digest = hashlib.sha256(f"{scope}|{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{rate.period}:{window}"


def _redis_call(backend: RedisCache, key: str, call: Callable[[Any], Any]) -> Any:
    """`call(client)` on the Redis client that holds `key`; None while Redis is down.
    Django's Redis cache keeps its client behind private attributes; the counter needs
    the client itself for INCR and a script."""
    server = str(getattr(backend, "_servers", [""])[0])
    if _redis_outage.skip(server):
        return None
    try:
        result = call(backend._cache.get_client(key, write=True))
    except _REDIS_ERRORS:
        _redis_outage.failed(server)
        return None
    _redis_outage.answered(server)
    return result


def _db_connection(backend: DatabaseCache) -> Any:
    return connections[router.db_for_write(backend.cache_model_class)]


def _increment(key: str, ttl: int, now: float) -> int:
    """Add one hit to the counter `key` (made if missing, living `ttl` seconds);
    return the hits it now holds, this one included."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        hits = _redis_call(backend, full_key, lambda c: c.eval(_REDIS_INCREMENT, 1, full_key, ttl))
        return 0 if hits is None else int(hits)  # Redis down: let the request through
    if isinstance(backend, DatabaseCache):
        full_key = backend.make_and_validate_key(key)
        with _db_connection(backend).cursor() as cursor:
            cursor.execute(_INCREMENT_SQL, [full_key, now + ttl, now, now])
            hits = int(cursor.fetchone()[0])
            if hits == 1:  # a new window: tidy away ended ones, never waiting on a lock
                cursor.execute(_PURGE_SQL, [now])
        return hits
    return _local_increment(backend, key, ttl)


def _local_increment(backend: BaseCache, key: str, ttl: int) -> int:
    with _LOCAL_LOCK:
        hits = int(backend.get(key, 0)) + 1
        backend.set(key, hits, timeout=ttl)
    return hits


def _peek(key: str, now: float) -> int:
    """The hits a counter holds, without adding one."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        return int(_redis_call(backend, full_key, lambda c: c.get(full_key)) or 0)
    if isinstance(backend, DatabaseCache):
        with _db_connection(backend).cursor() as cursor:
            cursor.execute(_PEEK_SQL, [backend.make_and_validate_key(key), now])
            row = cursor.fetchone()
        return int(row[0]) if row else 0
    return int(backend.get(key, 0))


def take(
    scope: str, ident: str, rates: Rate | Sequence[Rate], *, now: float | None = None
) -> Verdict:
    """Count one hit of `ident` against every rate, the shortest period first.

    A rate that refuses stops the counting: a script hammering a per-minute limit does
    not also use up the hourly allowance of everyone sharing its address. The wait is
    until every window that is full has closed.
    """
    now = time.time() if now is None else now
    ordered = sorted([rates] if isinstance(rates, Rate) else rates, key=lambda r: r.period)
    full: list[float] = []
    refused = False
    for rate in ordered:
        key = _bucket(scope, ident, rate, now)
        ends = rate.window_end(now)
        if refused:
            hits = _peek(key, now)
        else:
            hits = _increment(key, math.ceil(ends - now) + _SLACK, now)
            refused = hits > rate.limit
        if hits >= rate.limit:
            full.append(ends - now)
    if not refused:
        return ALLOWED
    return Verdict(False, max(1, math.ceil(max(full))))


def hit(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> bool:
    """Count one hit; True while the caller is within the limit."""
    return take(scope, ident, rate, now=now).allowed


def check(request: HttpRequest, scope: str) -> Verdict:
    """Count this request against the scope's limits (per account and per address)."""
    limits = settings.RATE_LIMITS.get(scope)
    if not limits:
        return ALLOWED
    verdicts = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and limits.get("user"):
        verdicts.append(take(scope, f"user:{user.pk}", parse_rates(limits["user"])))
    if limits.get("ip"):
        address = address_key(client_ip(request))
        verdicts.append(take(scope, f"ip:{address}", parse_rates(limits["ip"])))
    return Verdict.combine(verdicts)


def clear_counts() -> None:
    """Forget every count (tests). Redis and local memory keep the counters in the
    cache, which `cache.clear()` empties; the database cache keeps them in their table."""
    backend = caches["default"]
    if isinstance(backend, DatabaseCache):
        with _db_connection(backend).cursor() as cursor:
            cursor.execute(f"DELETE FROM {COUNTER_TABLE}")  # noqa: S608


def too_many(request: HttpRequest, scope: str = "", *, retry_after: int = 60) -> HttpResponse:
    """The 429 page, saying how long to wait. Rendered without the request's context
    (no session, signed-in user, database or cache), so it cannot fail."""
    html = render_to_string(
        "429.html",
        {"SITE_NAME": settings.SITE_NAME, "scope": scope, "wait": wait_words(retry_after)},
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(max(1, retry_after))
    response["Cache-Control"] = "no-store"
    return response


View = TypeVar("View", bound=Callable[..., HttpResponse])


def ratelimit(scope: str, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """View decorator: count requests of `methods` against the scope's limits."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                verdict = check(request, scope)
                if not verdict.allowed:
                    return too_many(request, scope, retry_after=verdict.retry_after)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorator
