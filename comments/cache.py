"""The thread version: one number per article, in the shared cache, that moves
whenever anything a thread shows changes. Rendered thread HTML is cached under
the version it was read at, so a change makes every older rendering unreachable
at once, in every app process, without deleting anything.

Why a fresh random-ish value on every change rather than `cache.incr`: the
database cache's incr is a read then a write, so two changes committing together
could both write v+1 and a rendering taken between them would outlive the second
change. A value made from the clock and random bits never repeats, so whichever
write lands last, no rendering cached under an earlier value is served again;
and an evicted key never comes back to an old value.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction

# Long enough to outlive any cached rendering (they expire after a day).
VERSION_TIMEOUT = 7 * 24 * 3600


def _key(article_id: int) -> str:
    return f"thread-version:{article_id}"


def _fresh() -> int:
    return time.time_ns() * 1024 + secrets.randbelow(1024)


def version_time(version: int) -> float:
    """When a version was made, in seconds since 1970: when the thread last changed
    (or, for a version made on first use, a moment after that): the article page's
    Last-Modified."""
    return version / 1024 / 1e9


def thread_version(article_id: int) -> int:
    """The article's current thread version (made on first use)."""
    version = cache.get(_key(article_id))
    if version is None:
        # add, not set: when two processes race, both end up with the same value.
        cache.add(_key(article_id), _fresh(), VERSION_TIMEOUT)
        version = cache.get(_key(article_id))
        if version is None:  # a cache that stores nothing: never reuse a rendering
            return _fresh()
    return int(version)


def thread_changed(article_id: int) -> None:
    """Mark the article's thread changed once the current transaction commits:
    after the change is visible to other connections (so nothing rendered under
    the new version can miss it) and before the response that redirects the
    poster or moderator to the page."""
    transaction.on_commit(lambda: cache.set(_key(article_id), _fresh(), VERSION_TIMEOUT))


class _RecentRenderings:
    """The last few shared renderings this process read or made, in memory.

    A whole thread is over a megabyte; fetching it from the shared cache and
    unpickling it was most of a cached page's time. The key names the thread
    version, which every request still reads from the shared cache, so an entry
    here can only be served while its thread is unchanged: after a change nobody
    asks for the old key again, and it ages out. Bounded by total size, least
    recently used first out; a lock because `runserver` serves from threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[bytes, bool]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, bool] | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: tuple[bytes, bool]) -> None:
        size = len(value[0])
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[0])
            self._entries[key] = value
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[0])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


recent_renderings = _RecentRenderings(max_bytes=32 * 1024 * 1024)


def rendering_get(key: str) -> tuple[bytes, bool] | None:
    """A shared thread rendering: from this process's memory, else the shared cache."""
    value = recent_renderings.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            recent_renderings.put(key, value)
    return value


def rendering_set(key: str, value: tuple[bytes, bool], timeout: int) -> None:
    cache.set(key, value, timeout)
    recent_renderings.put(key, value)


def rendering_remember(key: str, value: tuple[bytes, bool]) -> None:
    """Keep a rendering in this process only: one the shared cache does not need
    (comments.threadcache stores the page made from it instead)."""
    recent_renderings.put(key, value)
