"""The check the connection pool runs before it hands out a connection.

After PostgreSQL restarts, every connection resting in a process's pool is dead,
and the pool cannot know until one is used: without a check, each would fail one
request. psycopg_pool's own check (an empty query) finds a dead one and takes
another; but the pool waits a second before its second retry, longer than a
request may wait for a connection (settings.DATABASES: half a second). So when
one connection is found dead, the others resting beside it are assumed to have
died with it: the pool drops them all at once (`drain`) and opens new ones, and
the request waits only for the first new connection.
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg_pool import ConnectionPool


def check_pooled_connection(conn: psycopg.Connection[Any]) -> None:
    """Raise when the connection is dead, after draining its pool of the others."""
    try:
        ConnectionPool.check_connection(conn)
    except psycopg.Error:
        # The pool sets `_pool` on a connection while handing it out (psycopg_pool's
        # getconn does so before calling the check).
        pool = getattr(conn, "_pool", None)
        if isinstance(pool, ConnectionPool):
            pool.drain()
        raise
