"""Reads of comment threads: the article page's hot path.

A page of threads costs a fixed number of queries whatever the thread size:
one keyset query for the page's top-level comments, one read of every
comment under them (with the comment's copy of its author; put in order here),
one for the reader's recommendations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import repeat
from operator import add, itemgetter
from typing import NamedTuple

import psycopg
from django.conf import settings
from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Q
from django.utils.translation import gettext_lazy
from psycopg import postgres, pq
from psycopg.types.numeric import Int8BinaryLoader

from accounts.models import User
from articles.models import Article, Section
from comments import access
from comments.models import Comment, CommentStatus, Pick, Recommendation


class Sort:
    OLDEST = "oldest"
    NEWEST = "newest"
    RECOMMENDED = "recommended"
    CHOICES = (
        ("oldest", gettext_lazy("Oldest")),
        ("newest", gettext_lazy("Newest")),
        ("recommended", gettext_lazy("Most recommended")),
    )
    VALUES = frozenset(("oldest", "newest", "recommended"))


class ThreadItem(NamedTuple):
    """A comment as one reader's thread shows it. Made once per comment per
    rendering, thousands at a time: a tuple, not a dataclass."""

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
    bodies: bool = True,
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
    rows = _thread_rows(_BY_ROOTS, list(order), bodies=bodies)
    rows.sort(key=lambda c: (order[c.root_id], c.path))
    page.items = build_items(rows, user)
    return page


class ThreadComment(NamedTuple):
    """What a thread shows of a comment: read as plain tuples, not model instances,
    because a whole thread is thousands of them and building models (or even
    dataclasses) cost more than the query. Bodies as typed, hold reasons and the
    other moderation fields stay in the database. The fields are the columns of
    `_THREAD_SQL`, in order.

    The first fields place a comment, decide who sees it and name its remembered
    <li> (comments.render._SharedItems); the rest (`DETAILS`) only writing the <li>
    needs. A shared rendering reads the thread bare (`bodies=False`: those fields
    None, the body "") and the details only of the comments whose <li> is not
    remembered (`comment_details`)."""

    id: int
    parent_id: int | None
    root_id: int
    path: str
    depth: int
    author_id: int
    author_name: str
    status: str
    recommend_count: int
    version: int  # moves with every change to the comment (comments.models)
    is_featured: bool  # an editors' pick (comments.services.comment_feature)
    author_public: bool  # the author's profile page is public (accounts.views.reader_profile)
    # ---- the details
    body_html: str
    # Times as PostgreSQL sends them (microseconds since 2000-01-01 UTC): making
    # 4,000 time-zone-aware datetimes was a third of reading a whole thread, and
    # only a comment whose <li> is not remembered needs them (`created_at`).
    created_us: int
    edited_us: int | None
    reply_count: int
    body_lang: str  # the body's language, and the author's name's (core.languages)
    author_lang: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def created_at(self) -> datetime:
        return _PG_EPOCH + timedelta(microseconds=self.created_us)

    @property
    def edited_at(self) -> datetime | None:
        edited = self.edited_us
        return None if edited is None else _PG_EPOCH + timedelta(microseconds=edited)


_PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_TIMESTAMPTZ = postgres.types["timestamptz"].oid
DETAILS = ("body_html", "created_us", "edited_us", "reply_count", "body_lang", "author_lang")
_N_BARE = len(ThreadComment._fields) - len(DETAILS)
if ThreadComment._fields[_N_BARE:] != DETAILS:
    raise TypeError("ThreadComment's details must be its last fields")
# A bare row's details: None, so a bare row written by mistake fails loudly
# (created_at) instead of showing a wrong time.
_BARE_DETAILS = ("", None, None, None, None, None)

# One statement, no ORM: compiling the query and building rows through the ORM
# was a third of an uncached whole-thread page. Rejected comments are never shown.
# The author's name, its language and whether it links come from the comment's
# own copy (kept by the database: comments.models.Comment.author_name), so no
# account is read.
_BARE_COLUMNS = (
    "c.id, c.parent_id, c.root_id, c.path, c.depth, c.author_id, c.author_name, c.status,"
    " c.recommend_count, c.version, c.is_featured, c.author_public"
)
_DETAIL_COLUMNS = (
    "c.body_html, c.created_at, c.edited_at, c.reply_count, c.body_lang, c.author_name_lang"
)
# In no order: Python sorts the rows by path faster than PostgreSQL does (they
# arrive nearly in order), and a page sorts them by thread first anyway.
_BY_ARTICLE = " WHERE c.article_id = %s AND c.status <> %s"
_BY_ROOTS = " WHERE c.root_id = ANY(%s) AND c.status <> %s"
_THREAD_SQL = {
    (where, bodies): (
        f"SELECT {_BARE_COLUMNS}{', ' + _DETAIL_COLUMNS if bodies else ''}"  # noqa: S608
        f" FROM comments_comment c{where}"
    )
    for where in (_BY_ARTICLE, _BY_ROOTS)
    for bodies in (True, False)
}
_DETAILS_SQL = f"SELECT c.id, {_DETAIL_COLUMNS} FROM comments_comment c WHERE c.id = ANY(%s)"  # noqa: S608
_REJECTED = CommentStatus.REJECTED.value
# An author id no account has: "a comment by someone else" to comments.access.
_NOBODY = -1
_PATH = itemgetter(3)


def _binary_cursor(*, raw_times: bool = False) -> CursorWrapper:
    """A cursor whose results come in PostgreSQL's binary format: thousands of
    numbers and times are then copied, not parsed from text (a sixth of reading a
    whole thread). `raw_times`: timestamps as PostgreSQL's own integer
    (ThreadComment.created_us), not datetimes. Django's own cursors bind
    parameters on the client, which psycopg allows only with text results; this
    one is Django's wrapper all the same, so errors, query logging and counting
    behave as for any other query."""
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = pq.Format.BINARY
    if raw_times:
        # The binary timestamp is a 64-bit integer: psycopg's C loader for int8.
        raw.adapters.register_loader(_TIMESTAMPTZ, Int8BinaryLoader)
    if connection.queries_logged:
        return CursorDebugWrapper(raw, connection)
    return CursorWrapper(raw, connection)


def _thread_rows(where: str, param: int | list[int], *, bodies: bool) -> list[ThreadComment]:
    """The comments `where` (_BY_ARTICLE or _BY_ROOTS) finds for `param`, in path
    order (a path is unique: it ends with the comment's own id), as tuples; bare
    (see ThreadComment) unless `bodies`."""
    with _binary_cursor(raw_times=True) as cursor:
        cursor.execute(_THREAD_SQL[where, bodies], [param, _REJECTED])
        rows = cursor.fetchall()
    rows.sort(key=_PATH)
    if not bodies:
        # Tuples joined in C, one call per row, no Python frame.
        rows = list(map(add, rows, repeat(_BARE_DETAILS)))
    if rows and len(rows[0]) != len(ThreadComment._fields):
        # What _make would check on every row: the columns are the fields, in order.
        raise TypeError(f"{len(rows[0])} columns for {len(ThreadComment._fields)} fields")
    # tuple.__new__ straight from C: ThreadComment._make is a Python call per row.
    return list(map(tuple.__new__, repeat(ThreadComment), rows))


def comment_details(ids: list[int]) -> dict[int, tuple[object, ...]]:
    """The details (`DETAILS`, in order) of these comments, by id: for
    the comments of a bare thread whose <li> is not remembered."""
    with _binary_cursor(raw_times=True) as cursor:
        cursor.execute(_DETAILS_SQL, [ids])
        return {row[0]: row[1:] for row in cursor.fetchall()}


def with_details(comment: ThreadComment, details: tuple[object, ...]) -> ThreadComment:
    """A bare row completed with its details (`comment_details`)."""
    return ThreadComment._make(comment[:_N_BARE] + details)


def thread_all(*, article_id: int, user: User | None = None, bodies: bool = True) -> ThreadPage:
    """Every comment of the article the reader may see, in thread (path) order,
    in one query: the whole-thread page. `bodies=False`: bare rows, without the
    bodies and the other details (see ThreadComment)."""
    rows = _thread_rows(_BY_ARTICLE, article_id, bodies=bodies)
    uid = access.viewer_id(user)
    # A thread whose top comment does not start a thread for this reader is left
    # out whole, as on the paged view (whose keyset query finds only those).
    tops = [c for c in rows if c.parent_id is None]
    shown_roots = _passing(access.may_start_thread, tops, uid)
    if len(shown_roots) < len(tops):
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


def _passing(
    rule: Callable[[str, int, int | None], bool], rows: list[ThreadComment], uid: int | None
) -> set[int]:
    """The ids of the rows for which an access rule (comments.access.may_read,
    may_start_thread) holds for reader `uid`. Such a rule depends on whose comment
    it is only for the reader's own: for everyone else's it is asked once per
    status, not once per comment."""
    others = {status: rule(status, _NOBODY, uid) for status in {c.status for c in rows}}
    return {
        c.id
        for c in rows
        if (rule(c.status, c.author_id, uid) if c.author_id == uid else others[c.status])
    }


def build_items(rows: list[ThreadComment], user: User | None) -> list[ThreadItem]:
    """Turn rows ordered by path into display items: hide what the reader may not
    see, keep placeholders where hidden comments still have visible replies."""
    uid = access.viewer_id(user)
    readable = _passing(access.may_read, rows, uid)
    # A hidden comment is kept as a placeholder when something below it is shown.
    keep = set(readable)
    if len(readable) < len(rows):
        for c in reversed(rows):  # children come after parents in path order
            if c.parent_id and c.id in keep:
                keep.add(c.parent_id)

    recommended: set[int] = set()
    if uid is not None and keep:
        recommended = set(
            Recommendation.objects.filter(user_id=uid, comment_id__in=keep).values_list(
                "comment_id", flat=True
            )
        )

    cap = settings.COMMENT_DISPLAY_DEPTH
    placeholder = access.placeholder
    names: dict[int, str] = {}
    items: list[ThreadItem] = []
    add = items.append
    # tuple.__new__ straight from C, as for the rows: ThreadItem(...) is a Python call.
    new_item = partial(tuple.__new__, ThreadItem)
    for c in rows:
        cid = c.id
        if cid not in keep:
            continue
        parent = c.parent_id
        if parent and parent not in keep:
            continue
        depth = c.depth
        if depth > cap:
            names[cid] = c.author_name
            replying_to = names.get(parent, "") if parent else ""
        else:
            if depth == cap:
                names[cid] = c.author_name
            replying_to = ""
        if cid in readable:
            shown, own_pending = "", c.status == _PENDING
        else:
            shown, own_pending = placeholder(c.status, c.author_id, uid), False
        add(
            new_item(
                (c, depth if depth < cap else cap, shown, own_pending, replying_to,
                 cid in recommended)
            )
        )  # fmt: skip
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


# ---------------------------------------------------------------- the article of a page

# Every article page (and each of its forms and fragments) first reads its article by
# slug, with its section and, for a page, whether it has editors' picks. Written as the
# ORM's select_related/defer/annotate, that read spent three times as long building
# its SQL (0.6 ms) as PostgreSQL spent answering it (0.2 ms), on every request. The SQL
# is written here once per process from the models' own fields, and the row becomes the
# same instances the ORM makes (Model.from_db; the section cached on the article as
# select_related caches it). tests/comments/test_article_lookup.py checks them field by
# field against the ORM's.
_ARTICLE_SKIPPED = frozenset({"body", "search_vector"})  # the page shows neither
_ARTICLE_FIELDS = [f for f in Article._meta.concrete_fields if f.attname not in _ARTICLE_SKIPPED]
_SECTION_FIELDS = list(Section._meta.concrete_fields)
# Table and column names from the models (no input reaches this text); the slug is a
# parameter.
_ARTICLE_COLUMNS = ", ".join(
    [f'a."{f.column}"' for f in _ARTICLE_FIELDS] + [f's."{f.column}"' for f in _SECTION_FIELDS]
)
_PICKS_COLUMN = f", EXISTS (SELECT 1 FROM {Pick._meta.db_table} p WHERE p.article_id = a.id)"  # noqa: S608
_ARTICLE_SQL = {
    picks: (
        f"SELECT {_ARTICLE_COLUMNS}{_PICKS_COLUMN if picks else ''}"  # noqa: S608
        f" FROM {Article._meta.db_table} a JOIN {Section._meta.db_table} s"
        " ON s.id = a.section_id WHERE a.slug = %s"
    )
    for picks in (False, True)
}
_ARTICLE_NAMES = [f.attname for f in _ARTICLE_FIELDS]
_SECTION_NAMES = [f.attname for f in _SECTION_FIELDS]
_SECTION_FIELD = Article._meta.get_field("section")


def article_by_slug(slug: str, *, with_picks: bool = False) -> Article | None:
    """The article with this slug, its section loaded, without its Markdown source
    and search index (deferred); `with_picks`: with `has_picks` set. None when there
    is no such article (visibility is the caller's rule)."""
    with connection.cursor() as cursor:
        cursor.execute(_ARTICLE_SQL[with_picks], [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    n, m = len(_ARTICLE_NAMES), len(_SECTION_NAMES)
    article = Article.from_db(connection.alias, _ARTICLE_NAMES, row[:n])
    _SECTION_FIELD.set_cached_value(
        article, Section.from_db(connection.alias, _SECTION_NAMES, row[n : n + m])
    )
    if with_picks:
        article.has_picks = bool(row[n + m])  # type: ignore[attr-defined]
    return article
