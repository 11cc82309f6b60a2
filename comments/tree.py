"""What a new comment is given before it is stored, by posting (comments.services) and
by the Disqus import alike: its id, reserved from the table's sequence, and its path
in the thread (which holds that id), and the keyed hash of its author's address. Kept
apart from the services so the import, a command that screens nothing, does not load
the screening stack to compute them."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.db import connection

from comments.models import PATH_SEGMENT_WIDTH, Comment


def ip_hash(ip: str | None) -> str:
    """Keyed hash of an address: lets us spot floods without storing the address."""
    if not ip:
        return ""
    return hmac.new(settings.IP_HASH_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def next_comment_ids(count: int) -> list[int]:
    """Reserve ids from the table's sequence so a comment's path (which contains
    its own id) is written in the same INSERT, never patched afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('comments_comment', 'id')) "
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def path_for(comment_id: int, parent: Comment | None) -> str:
    segment = str(comment_id).zfill(PATH_SEGMENT_WIDTH)
    return f"{parent.path}.{segment}" if parent else segment
