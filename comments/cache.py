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
import time

from django.core.cache import cache
from django.db import transaction

# Long enough to outlive any cached rendering (they expire after a day).
VERSION_TIMEOUT = 7 * 24 * 3600


def _key(article_id: int) -> str:
    return f"thread-version:{article_id}"


def _fresh() -> int:
    return time.time_ns() * 1024 + secrets.randbelow(1024)


def thread_version(article_id: int) -> int:
    """The article's current thread version (made on first use)."""
    version = cache.get(_key(article_id))
    if version is None:
        # add, not set: when two processes race, both end up with the same value.
        cache.add(_key(article_id), _fresh(), VERSION_TIMEOUT)
        version = cache.get(_key(article_id))
        if version is None:  # a cache that stores nothing: never reuse a rendering
            return _fresh()
    return version


def thread_changed(article_id: int) -> None:
    """Mark the article's thread changed once the current transaction commits:
    after the change is visible to other connections (so nothing rendered under
    the new version can miss it) and before the response that redirects the
    poster or moderator to the page."""
    transaction.on_commit(lambda: cache.set(_key(article_id), _fresh(), VERSION_TIMEOUT))
