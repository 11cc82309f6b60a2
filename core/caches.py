"""The Redis cache backend (settings.CACHES with CACHE_URL=redis://...), made to
outlive Redis going away.

Django's RedisCache raises when Redis does not answer, so a Redis outage would fail
every page. Everything this site keeps in the cache can be made again or done
without: the rendered threads and the section list are read afresh, a thread
version that cannot be read is a fresh one (comments.cache.thread_version), rate
limits go uncounted. So here a Redis that does not answer is a cache that keeps
nothing:

- get and get_many give the default, has_key False; set, add, touch, delete and
  their many-key forms do nothing (add and touch answer False); incr raises
  `CacheUnavailable`, a ValueError like Django's "key not found", so a counter
  that handles a missing key (core.ratelimit: set it, a no-op now) carries on.
- Waiting is short: 0.25 s to connect and 0.5 s for an answer (OPTIONS may set
  others), and after a failure Redis is left alone for a second, every operation
  a miss at once, before one is tried again; so a page waits at most one timeout
  a second, not one per cache call.
- It logs once when Redis stops answering and once when it answers again.
- Keys written while Redis was away may hold stale values if it kept its data (a
  network cut rather than a restart): a thread version that could not be moved
  would serve a rendering from before the change. So every key a failed write
  touched is deleted as soon as Redis answers again, in this process (the other
  processes do the same for their own writes).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_ERRORS: tuple[type[Exception], ...] = (RedisConnectionError, RedisTimeoutError)
# Seconds to connect, and to wait for an answer (OPTIONS may set others); and how long
# Redis is left alone after it failed to answer.
CONNECT_TIMEOUT = 0.25
ANSWER_TIMEOUT = 0.5
RETRY_SECONDS = 1.0

T = TypeVar("T")


class CacheUnavailable(ValueError):
    """incr while Redis does not answer: nothing was counted."""


class _Health:
    """Whether one Redis answers, shared by every thread's backend instance in this
    process, and the keys written while it did not."""

    MAX_LOST_KEYS = 10_000

    def __init__(self, where: str) -> None:
        self.where = where
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self.retry_at = 0.0
        self.lost: set[str] = set()
        self.lost_overflow = False

    def skip(self, written: Iterable[str]) -> bool:
        """True while Redis is left alone after a failure (the keys are noted)."""
        with self._lock:
            if self.down_since is None or time.monotonic() >= self.retry_at:
                return False
            self._note(written)
            return True

    def failed(self, exc: Exception, written: Iterable[str]) -> None:
        with self._lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            self._note(written)
            if self.down_since is not None:
                return
            self.down_since = now
        logger.warning(
            "The Redis cache at %s does not answer (%s: %s): pages are served uncached "
            "and rate limits are not counted until it answers again.",
            self.where,
            type(exc).__name__,
            exc,
        )

    def take_lost(self) -> list[str]:
        with self._lock:
            return list(self.lost)

    def answered(self, forgotten: list[str]) -> None:
        with self._lock:
            self.lost.difference_update(forgotten)
            if self.down_since is None:
                return
            away = time.monotonic() - self.down_since
            self.down_since = None
            overflow, self.lost_overflow = self.lost_overflow, False
        logger.warning(
            "The Redis cache at %s answers again after %.1f s; %d keys written meanwhile "
            "were deleted%s.",
            self.where,
            away,
            len(forgotten),
            " (more were written than are remembered: some cached threads may show "
            "their old state until they expire)"
            if overflow
            else "",
        )

    def _note(self, written: Iterable[str]) -> None:
        for key in written:
            if len(self.lost) >= self.MAX_LOST_KEYS:
                self.lost_overflow = True
                return
            self.lost.add(key)


_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _health_of(location: str) -> _Health:
    parts = urlsplit(location)
    where = f"{parts.hostname or location}:{parts.port or 6379}"  # no credentials in logs
    with _health_lock:
        return _health.setdefault(location, _Health(where))


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, where a Redis that does not answer is a cache that keeps
    nothing (see the module's docstring)."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = {
            "socket_connect_timeout": CONNECT_TIMEOUT,
            "socket_timeout": ANSWER_TIMEOUT,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._health = _health_of(server if isinstance(server, str) else ",".join(server))

    def _guarded(self, call: Callable[[], T], fallback: T, written: Iterable[str] = ()) -> T:
        written = list(written)
        health = self._health
        if health.skip(written):
            return fallback
        try:
            lost = health.take_lost()
            if lost:
                self._cache.delete_many(lost)
            result = call()
        except REDIS_ERRORS as exc:
            health.failed(exc, written)
            return fallback
        health.answered(lost)
        return result

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        call = functools.partial(super().add, key, value, timeout, version)
        return self._guarded(call, False, [self.make_key(key, version)])

    def get(self, key: Any, default: Any | None = None, version: int | None = None) -> Any:
        return self._guarded(functools.partial(super().get, key, default, version), default)

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        call = functools.partial(super().set, key, value, timeout, version)
        self._guarded(call, None, [self.make_key(key, version)])

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        call = functools.partial(super().touch, key, timeout, version)
        return self._guarded(call, False, [self.make_key(key, version)])

    def delete(self, key: Any, version: int | None = None) -> bool:
        call = functools.partial(super().delete, key, version)
        return self._guarded(call, False, [self.make_key(key, version)])

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._guarded(functools.partial(super().get_many, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(functools.partial(super().has_key, key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        call: Callable[[], int | None] = functools.partial(super().incr, key, delta, version)
        result = self._guarded(call, None, [self.make_key(key, version)])
        if result is None:
            raise CacheUnavailable(f"the cache does not answer: {key!r} was not counted")
        return result

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        call = functools.partial(super().set_many, data, timeout, version)
        return self._guarded(call, list(data), [self.make_key(k, version) for k in data])

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        call = functools.partial(super().delete_many, keys, version)
        self._guarded(call, None, [self.make_key(k, version) for k in keys])

    def clear(self) -> None:
        self._guarded(super().clear, None)
