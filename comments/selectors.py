"""Reads of comment threads: the article page's hot path.

A page of threads costs a fixed number of queries whatever the thread size:
one keyset query for the page's top-level comments, one ordered read of every
comment under them (author joined), one for the reader's recommendations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet

from accounts.models import User
from comments import access
from comments.models import Comment, CommentStatus, Recommendation


class Sort:
    OLDEST = "oldest"
    NEWEST = "newest"
    RECOMMENDED = "recommended"
    CHOICES = (("oldest", "Oldest"), ("newest", "Newest"), ("recommended", "Most recommended"))
    VALUES = frozenset(("oldest", "newest", "recommended"))


@dataclass
class ThreadItem:
    comment: ThreadComment
    display_depth: int
    placeholder: str = ""  # why the body is not shown ("deleted", "removed", "hidden")
    own_pending: bool = False
    replying_to: str = ""  # name shown when nesting is capped
    recommended: bool = False


@dataclass
class ThreadPage:
    items: list[ThreadItem] = field(default_factory=list)
    next_cursor: str | None = None
    sort: str = Sort.OLDEST


_PENDING = CommentStatus.PENDING.value

# Microseconds since 1970 up to about the year 2286; recommend counts are far below.
_MAX_CURSOR_KEY = 10**16


def _epoch_us(value: datetime) -> int:
    return int(value.timestamp() * 1_000_000)


def _from_epoch_us(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1_000_000, tz=UTC)


def encode_cursor(comment: Comment | ThreadComment, sort: str) -> str:
    key = comment.recommend_count if sort == Sort.RECOMMENDED else _epoch_us(comment.created_at)
    return f"{key}.{comment.pk}"


def decode_cursor(cursor: str | None) -> tuple[int, int] | None:
    if not cursor:
        return None
    try:
        key, pk = (int(part) for part in cursor.split(".", 1))
    except ValueError:
        return None
    # A cursor comes from the URL: out-of-range numbers (forged or mangled) would
    # overflow datetime or bigint, so they read as "no cursor".
    if abs(key) > _MAX_CURSOR_KEY or not 0 <= pk < 2**63:
        return None
    return key, pk


def _top_level(
    article_id: int, user: User | None, sort: str, cursor: str | None, size: int
) -> list[Comment]:
    qs = Comment.objects.filter(article_id=article_id, parent__isnull=True).filter(
        access.thread_starters(access.viewer_id(user))
    )
    after = decode_cursor(cursor)
    if sort == Sort.NEWEST:
        if after:
            ts = _from_epoch_us(after[0])
            qs = qs.filter(Q(created_at__lt=ts) | Q(created_at=ts, id__lt=after[1]))
        qs = qs.order_by("-created_at", "-id")
    elif sort == Sort.RECOMMENDED:
        if after:
            qs = qs.filter(
                Q(recommend_count__lt=after[0]) | Q(recommend_count=after[0], id__lt=after[1])
            )
        qs = qs.order_by("-recommend_count", "-id")
    else:
        if after:
            ts = _from_epoch_us(after[0])
            qs = qs.filter(Q(created_at__gt=ts) | Q(created_at=ts, id__gt=after[1]))
        qs = qs.order_by("created_at", "id")
    return list(qs.only("id", "created_at", "recommend_count")[: size + 1])


def thread_page(
    *,
    article_id: int,
    user: User | None = None,
    sort: str = Sort.OLDEST,
    cursor: str | None = None,
    size: int | None = None,
) -> ThreadPage:
    size = size or settings.COMMENTS_PAGE_SIZE
    sort = sort if sort in Sort.VALUES else Sort.OLDEST
    tops = _top_level(article_id, user, sort, cursor, size)
    has_more = len(tops) > size
    tops = tops[:size]
    page = ThreadPage(sort=sort)
    if has_more and tops:
        page.next_cursor = encode_cursor(tops[-1], sort)
    if not tops:
        return page
    order = {c.pk: i for i, c in enumerate(tops)}
    rows = _thread_rows(Comment.objects.filter(root_id__in=list(order)))
    rows.sort(key=lambda c: (order[c.root_id], c.path))
    page.items = build_items(rows, user)
    return page


@dataclass(slots=True)
class ThreadAuthor:
    display_name: str


@dataclass(slots=True)
class ThreadComment:
    """What a thread shows of a comment: read as plain rows, not model instances,
    because a whole thread is thousands of them and building models cost more
    than the query (bodies as typed, hold reasons and the other moderation
    fields stay in the database)."""

    id: int
    parent_id: int | None
    root_id: int
    path: str
    depth: int
    author_id: int
    author: ThreadAuthor
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    recommend_count: int
    reply_count: int

    @property
    def pk(self) -> int:
        return self.id


_THREAD_FIELDS = (
    "id",
    "parent_id",
    "root_id",
    "path",
    "depth",
    "author_id",
    "author__display_name",
    "body_html",
    "status",
    "created_at",
    "edited_at",
    "recommend_count",
    "reply_count",
)


def _thread_rows(qs: QuerySet[Comment]) -> list[ThreadComment]:
    rows = qs.exclude(status=CommentStatus.REJECTED).order_by("path", "id")
    authors: dict[int, ThreadAuthor] = {}
    out = []
    for r in rows.values_list(*_THREAD_FIELDS):
        author = authors.get(r[5])
        if author is None:
            author = authors[r[5]] = ThreadAuthor(r[6])
        out.append(ThreadComment(r[0], r[1], r[2], r[3], r[4], r[5], author, *r[7:]))
    return out


def thread_all(*, article_id: int, user: User | None = None) -> ThreadPage:
    """Every comment of the article the reader may see, in thread (path) order,
    in one query: the whole-thread page."""
    rows = _thread_rows(Comment.objects.filter(article_id=article_id))
    uid = access.viewer_id(user)
    # A thread whose top comment does not start a thread for this reader is left
    # out whole, as on the paged view (whose keyset query finds only those).
    starts = access.may_start_thread
    shown_roots = {c.id for c in rows if c.parent_id is None and starts(c.status, c.author_id, uid)}
    rows = [c for c in rows if c.root_id in shown_roots]
    return ThreadPage(items=build_items(rows, user), sort=Sort.OLDEST)


def viewer_has_personal_state(*, article_id: int, user: User | None) -> bool:
    """Whether the reader's view of this article's thread differs from any other
    signed-in reader's: they wrote a comment in it (own pending ones, edit and
    delete controls) or recommended one (pressed buttons). One indexed query."""
    if user is None or not user.is_authenticated:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM comments_comment"
            "  WHERE author_id = %s AND article_id = %s)"
            " OR EXISTS (SELECT 1 FROM comments_recommendation r"
            "  JOIN comments_comment c ON c.id = r.comment_id"
            "  WHERE r.user_id = %s AND c.article_id = %s)",
            [user.pk, article_id, user.pk, article_id],
        )
        row = cursor.fetchone()
        return bool(row and row[0])


def build_items(rows: list[ThreadComment], user: User | None) -> list[ThreadItem]:
    """Turn rows ordered by path into display items: hide what the reader may not
    see, keep placeholders where hidden comments still have visible replies."""
    uid = access.viewer_id(user)
    by_id = {c.id: c for c in rows}
    may_read = access.may_read

    # A hidden comment is kept as a placeholder when something below it is shown.
    keep = {c.id for c in rows if may_read(c.status, c.author_id, uid)}
    for c in reversed(rows):  # children come after parents in path order
        if c.id in keep and c.parent_id and c.parent_id in by_id:
            keep.add(c.parent_id)

    recommended: set[int] = set()
    if uid is not None and keep:
        recommended = set(
            Recommendation.objects.filter(user_id=uid, comment_id__in=keep).values_list(
                "comment_id", flat=True
            )
        )

    cap = settings.COMMENT_DISPLAY_DEPTH
    items = []
    for c in rows:
        if c.id not in keep or (c.parent_id and c.parent_id not in keep and c.depth > 0):
            continue
        item = ThreadItem(comment=c, display_depth=min(c.depth, cap))
        item.placeholder = access.placeholder(c.status, c.author_id, uid)
        if not item.placeholder and c.status == _PENDING:
            item.own_pending = True
        if c.depth > cap and c.parent_id in by_id:
            item.replying_to = by_id[c.parent_id].author.display_name
        item.recommended = c.id in recommended
        items.append(item)
    return items


def threads_before(*, article_id: int, user: User | None, sort: str, root: Comment) -> int:
    """How many visible top-level comments come before `root` in `sort` order:
    a permalink needs a cursor only when its thread is past the first page."""
    qs = Comment.objects.filter(article_id=article_id, parent__isnull=True).filter(
        access.thread_starters(access.viewer_id(user))
    )
    if sort == Sort.NEWEST:
        before = Q(created_at__gt=root.created_at) | Q(created_at=root.created_at, id__gt=root.pk)
    elif sort == Sort.RECOMMENDED:
        before = Q(recommend_count__gt=root.recommend_count) | Q(
            recommend_count=root.recommend_count, id__gt=root.pk
        )
    else:
        before = Q(created_at__lt=root.created_at) | Q(created_at=root.created_at, id__lt=root.pk)
    return qs.filter(before).count()
