"""Import a Disqus export: parse -> plan -> apply.

`parse` (comments.importers.disqus_file) streams the XML with expat (line
numbers for every record) and checks the file on its own: well-formed, every
post's thread and parent present, dates readable, no parent cycles. `plan` reads
the database: which posts are already
imported (import_ref "disqus:<id>"), which thread is which article, which author
is which account. `apply` writes everything in one transaction. Any problem
found before `apply` stops the import with every problem listed, so nothing is
ever half-imported, and running the same file twice adds nothing.

Comments are created in their initial state here (that is creation, not a status
change); one audit entry per run (moderation.audit) records where they came from.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.roles import EDITORS
from articles import services as article_services
from articles.models import Article, CommentsMode, Section
from comments.cache import thread_changed
from comments.importers.disqus_file import (
    AuthorRecord,
    DisqusImportError,
    ParsedExport,
    PostRecord,
    Problem,
    ThreadRecord,
    leave_out,
    leave_out_orphans,
    parse,
    prepare_texts,
)
from comments.importers.html_text import html_to_text
from comments.models import PATH_SEGMENT_WIDTH, Comment, CommentStatus, ReasonCategory
from comments.text import normalize_body
from comments.tree import ip_hash, next_comment_ids, path_for
from core.languages import language_of
from moderation import audit
from moderation.models import ActionCode

IMPORT_REF_PREFIX = "disqus:"
ACTION_CODE = ActionCode.IMPORT_DISQUS
ARCHIVE_EMAIL = "newsroom-archive@imported.invalid"
ARCHIVE_NAME = "Newsroom archive"
# A path holds one fixed-width segment per level, in a 1024-character column.
MAX_DEPTH = 1024 // (PATH_SEGMENT_WIDTH + 1) - 1
_EMAIL_RE = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_SPACES = re.compile(r"\s+")

__all__ = [
    "DisqusImportError",
    "ImportResult",
    "ParsedExport",
    "PostRecord",
    "Problem",
    "ThreadRecord",
    "import_disqus",
    "parse",
]


# ---------------------------------------------------------------- plan


@dataclass
class NewAuthor:
    email: str
    display_name: str
    joined: datetime | None  # their first post's time; the import's when unknown


@dataclass
class ImportPlan:
    parsed: ParsedExport
    section: Section | None
    # thread dsq:id -> existing article, or None when one is to be created.
    articles: dict[str, Article | None] = field(default_factory=dict)
    skipped_threads: list[ThreadRecord] = field(default_factory=list)
    new_posts: list[PostRecord] = field(default_factory=list)
    already_imported: int = 0
    # Parents imported by an earlier run: dsq:id -> (id, path, root_id, depth, article_id).
    existing_parents: dict[str, tuple[int, str, int, int, int]] = field(default_factory=dict)
    # email (lowercase) -> user id for authors who have an account already.
    matched_users: dict[str, int] = field(default_factory=dict)
    new_authors: dict[str, NewAuthor] = field(default_factory=dict)
    post_email: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def status_of(self, post: PostRecord) -> CommentStatus:
        if post.is_spam:
            return CommentStatus.REJECTED
        if post.is_deleted:
            return CommentStatus.DELETED_BY_AUTHOR
        return CommentStatus.PUBLISHED

    def counts(self) -> dict[str, int]:
        statuses = Counter(self.status_of(p).value for p in self.new_posts)
        threads_used = {p.thread_id for p in self.new_posts}
        return {
            "threads_in_file": len(self.parsed.threads),
            # Every thread with posts that has its article, whether this run adds
            # to it or an earlier one did: a second run matches them all again.
            "threads_matched": sum(1 for a in self.articles.values() if a is not None),
            "articles_created": sum(
                1 for t, a in self.articles.items() if a is None and t in threads_used
            ),
            "threads_skipped": len(self.skipped_threads),
            "posts_in_file": len(self.parsed.posts),
            "posts_new": len(self.new_posts),
            "posts_already_imported": self.already_imported,
            "posts_left_out": len(self.parsed.orphans),
            "published": statuses.get(CommentStatus.PUBLISHED, 0),
            "deleted": statuses.get(CommentStatus.DELETED_BY_AUTHOR, 0),
            "spam_rejected": statuses.get(CommentStatus.REJECTED, 0),
            "users_matched": len(self.matched_users),
            "users_created": len(self.new_authors),
        }


def _link_candidates(link: str) -> tuple[str | None, str]:
    """(slug when the link is one of our article URLs, last path segment)."""
    path = unquote(urlsplit(link).path)
    segments = [s for s in path.split("/") if s]
    last = segments[-1] if segments else ""
    ours = segments[1] if len(segments) == 2 and segments[0] == "articles" else None
    return ours, last


def find_section(value: str) -> Section:
    section = (
        Section.objects.filter(slug=value).first()
        or Section.objects.filter(name__iexact=value).order_by("id").first()
    )
    if section is None:
        names = ", ".join(Section.objects.order_by("position", "id").values_list("slug", flat=True))
        raise DisqusImportError(
            [Problem(None, f"there is no section “{value}” (sections: {names or 'none yet'})")]
        )
    return section


def _author_email(author: AuthorRecord) -> str:
    email = unicodedata.normalize("NFKC", author.email).strip().lower()
    if email and len(email) <= 254 and _EMAIL_RE.match(email):
        return email
    # A guest without a usable address: a stable made-up one, so the same
    # person maps to the same account on every run.
    key = f"{author.username or ''}|{author.name or ''}|{email}".encode()
    return f"disqus-{hashlib.sha256(key).hexdigest()[:16]}@imported.invalid"


def _clean_name(name: str, email: str) -> str:
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", name)).strip()
    if len(name) < 2:
        name = email.split("@")[0] if not email.endswith("@imported.invalid") else "Disqus reader"
    return name[:40].strip() or "Disqus reader"


IMPORTED_SUFFIX = " (Disqus)"


def _shown_name(name: str, email: str) -> str:
    """The display name of a new imported author. One without an address anyone
    can claim (a guest: a made-up address) must not take a name a real reader may
    want: their name is marked as imported, "anas (Disqus)"."""
    if not email.endswith("@imported.invalid") or name.endswith(IMPORTED_SUFFIX):
        return name
    return f"{name[: 40 - len(IMPORTED_SUFFIX)].rstrip()}{IMPORTED_SUFFIX}"


# The names (lowercase) live accounts hold among those given. Deleted accounts
# all read "deleted account" and hold none: the condition of the unique index on
# lower(display_name), so that index answers (without it every account was read,
# once per round of " 2", " 3" ...). One array parameter, not thousands.
TAKEN_NAMES_SQL = (
    "SELECT lower(display_name) FROM accounts_user "
    "WHERE lower(display_name) = ANY(%s) AND deleted_at IS NULL"
)


def _taken_among(names: set[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(TAKEN_NAMES_SQL, [list(names)])
        return {row[0] for row in cursor.fetchall()}


def _unique_display_names(wanted: dict[str, str]) -> dict[str, str]:
    """Give each new author (email -> wanted name) a display name no account
    has, case-insensitively, adding " 2", " 3" ... where needed."""
    taken = _taken_among({n.lower() for n in wanted.values()})
    result: dict[str, str] = {}
    pending: list[tuple[str, str]] = []
    for email, name in wanted.items():
        if name.lower() in taken:
            pending.append((email, name))
        else:
            taken.add(name.lower())
            result[email] = name
    n = 2
    while pending:
        # One query per round checks every suffixed candidate of this round.
        candidates = {
            email: f"{name[: 40 - len(str(n)) - 1].rstrip()} {n}" for email, name in pending
        }
        taken |= _taken_among({c.lower() for c in candidates.values()})
        still = []
        for email, name in pending:
            c = candidates[email]
            if c.lower() in taken:
                still.append((email, name))
            else:
                taken.add(c.lower())
                result[email] = c
        pending = still
        n += 1
    return result


def plan(
    parsed: ParsedExport,
    *,
    section: Section | None = None,
    skip_unmatched: bool = False,
    skip_orphans: bool = False,
) -> ImportPlan:
    """Decide what an import would create; reads the database, writes nothing."""
    result = ImportPlan(parsed=parsed, section=section, problems=list(parsed.problems))
    if result.problems:
        return result
    problems = result.problems

    refs = [IMPORT_REF_PREFIX + p.dsq_id for p in parsed.posts]
    known: set[str] = set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT import_ref FROM comments_comment WHERE import_ref = ANY(%s)", [refs])
        known = {row[0][len(IMPORT_REF_PREFIX) :] for row in cursor.fetchall()}
    fresh = [p for p in parsed.posts if p.dsq_id not in known]
    result.already_imported = len(parsed.posts) - len(fresh)

    # Threads -> articles: matched for every thread with posts (a second run's
    # report counts them), created or required only for those with new ones.
    wanted_threads = {p.thread_id for p in fresh}
    for tid in {p.thread_id for p in parsed.posts} - wanted_threads:
        ours, last = _link_candidates(parsed.threads[tid].link)
        found = Article.objects.filter(
            slug__in=[s for s in (ours, last, slugify(last)) if s]
        ).first()
        if found is not None:
            result.articles[tid] = found
    slugs: set[str] = set()
    for tid in wanted_threads:
        ours, last = _link_candidates(parsed.threads[tid].link)
        slugs.update(s for s in (ours, last, slugify(last)) if s)
    by_slug = {a.slug: a for a in Article.objects.filter(slug__in=slugs)}
    skipped: set[str] = set()
    for tid in sorted(wanted_threads, key=lambda t: parsed.threads[t].line):
        thread = parsed.threads[tid]
        ours, last = _link_candidates(thread.link)
        article = by_slug.get(ours or "") or by_slug.get(last) or by_slug.get(slugify(last))
        if article is not None:
            result.articles[tid] = article
        elif section is not None:
            if not slugify(last) and not slugify(thread.title):
                problems.append(
                    Problem(thread.line, f"thread {tid}: no article slug can be made from its link")
                )
            result.articles[tid] = None
        elif skip_unmatched:
            skipped.add(tid)
            result.skipped_threads.append(thread)
        else:
            problems.append(
                Problem(
                    thread.line,
                    f"thread {tid} ({thread.link}) matches no article; create it first, "
                    "or pass --create-articles SECTION (or --skip-unmatched)",
                )
            )
    fresh = [p for p in fresh if p.thread_id not in skipped]

    # Parents that an earlier run imported.
    by_id = {p.dsq_id: p for p in parsed.posts}
    outside = {p.parent_id for p in fresh if p.parent_id and p.parent_id not in by_id}
    outside |= {p.parent_id for p in fresh if p.parent_id in known}
    if outside:
        for pk, ref, path, root_id, depth, article_id in Comment.objects.filter(
            import_ref__in=[IMPORT_REF_PREFIX + d for d in outside]
        ).values_list("id", "import_ref", "path", "root_id", "depth", "article_id"):
            assert ref is not None  # the filter asked for these refs
            result.existing_parents[ref[len(IMPORT_REF_PREFIX) :]] = (
                pk,
                path,
                root_id,
                depth,
                article_id,
            )
    missing_parent: set[str] = set()
    for p in fresh:
        if p.parent_id and p.parent_id not in by_id and p.parent_id not in result.existing_parents:
            orphan = Problem(
                p.parent_line,
                f"post {p.dsq_id} replies to post {p.parent_id}, which is not in the "
                "export (nor imported before)",
                orphan=True,
            )
            parsed.orphans[p.dsq_id] = orphan
            if skip_orphans:
                missing_parent.add(p.dsq_id)
            else:
                problems.append(orphan)
        if p.parent_id in result.existing_parents:
            article = result.articles.get(p.thread_id)
            if article is None or article.pk != result.existing_parents[p.parent_id][4]:
                problems.append(
                    Problem(
                        p.parent_line,
                        f"post {p.dsq_id} replies to post {p.parent_id}, imported earlier "
                        "into another article",
                    )
                )

    if missing_parent:
        leave_out(parsed, missing_parent)
        kept = {p.dsq_id for p in parsed.posts}
        fresh = [p for p in fresh if p.dsq_id in kept]
        by_id = {p.dsq_id: p for p in parsed.posts}

    # Depth: paths have room for MAX_DEPTH levels.
    depth_of: dict[str, int] = {d: row[3] for d, row in result.existing_parents.items()}
    for p in fresh:
        chain: list[PostRecord] = []
        cur = p
        base = -1
        while cur.dsq_id not in depth_of:
            chain.append(cur)
            if not cur.parent_id:
                break
            if cur.parent_id in depth_of:
                base = depth_of[cur.parent_id]
                break
            if cur.parent_id not in by_id:
                break  # reported above as a missing parent
            cur = by_id[cur.parent_id]
        else:
            base = depth_of[cur.dsq_id]
        for c in reversed(chain):
            base += 1
            depth_of[c.dsq_id] = base
    for p in fresh:
        if depth_of.get(p.dsq_id, 0) > MAX_DEPTH:
            problems.append(
                Problem(p.line, f"post {p.dsq_id} is nested deeper than {MAX_DEPTH} replies")
            )

    # Made while Django started when the command read the file early
    # (comments.importers.early); here otherwise.
    prepare_texts([p for p in fresh if p.body_html is None])
    for p in fresh:
        if not p.body and not p.is_spam and not p.is_deleted:
            problems.append(Problem(p.line, f"post {p.dsq_id} has no text"))
    if problems:
        return result
    result.new_posts = fresh

    # Authors: an account with the same email is that person; others get a new
    # reader account that can only be used after a password reset.
    first_seen: dict[str, PostRecord] = {}
    for p in fresh:
        email = _author_email(p.author)
        result.post_email[p.dsq_id] = email
        if email not in first_seen or (p.created_at, p.line) < (
            first_seen[email].created_at,
            first_seen[email].line,
        ):
            first_seen[email] = p
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, id FROM accounts_user WHERE email = ANY(%s)",
            [list(first_seen)],
        )
        result.matched_users = dict(cursor.fetchall())
    wanted = {
        email: _shown_name(_clean_name(post.author.name or post.author.username, email), email)
        for email, post in first_seen.items()
        if email not in result.matched_users
    }
    names = _unique_display_names(wanted)
    result.new_authors = {
        email: NewAuthor(
            email=email, display_name=names[email], joined=first_seen[email].created_at
        )
        for email in wanted
    }
    return result


# ---------------------------------------------------------------- apply


@dataclass
class ImportResult:
    counts: dict[str, int]
    dry_run: bool
    skipped_threads: list[ThreadRecord]
    articles: dict[str, str]  # thread dsq:id -> article slug (planned slug on a dry run)
    # Posts left out (--skip-orphans), each with why; notes on the file (empty threads).
    left_out: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def _archive_author(*, now: datetime):
    """The account that imported articles are credited to: an editor that cannot sign in.
    Making it an editor is a role change like any other, so it is audited (by the system)."""
    User = get_user_model()
    user = User.objects.filter(email=ARCHIVE_EMAIL).first()
    if user is None:
        name = _unique_display_names({ARCHIVE_EMAIL: ARCHIVE_NAME})[ARCHIVE_EMAIL]
        user = User.objects.create_user(email=ARCHIVE_EMAIL, display_name=name, is_staff=True)
        user.groups.add(Group.objects.get(name=EDITORS))
        audit.record(
            action=ActionCode.ROLE_GRANTED,
            actor=None,
            target_user_id=user.pk,
            reason="editor",
            data={"role": "editor", "by": "import_disqus"},
            now=now,
        )
    return user


def _create_articles(result: ImportPlan, *, by, now: datetime) -> None:
    threads = result.parsed.threads
    # Disqus keeps one thread per URL variant; variants of one page share an article.
    made: dict[str, Article] = {}
    for tid in sorted(result.articles, key=lambda t: threads[t].line):
        if result.articles[tid] is not None:
            continue
        thread = threads[tid]
        _, last = _link_candidates(thread.link)
        key = slugify(last) or slugify(thread.title)
        if key in made:
            result.articles[tid] = made[key]
            continue
        slug = _slug_for_thread(last, thread.title)
        created = thread.created_at or now
        assert result.section is not None  # plan() requires one to create articles
        article = article_services.article_create(
            by=by,
            title=(thread.title or slug.replace("-", " ").capitalize())[:200],
            section=result.section,
            body=normalize_body(html_to_text(thread.message)),
            slug=slug,
            comments_mode=CommentsMode.CLOSED if thread.is_closed else None,
            now=created,
        )
        result.articles[tid] = made[key] = article_services.article_publish(
            article=article, by=by, at=created, now=created
        )


def _slug_for_thread(last_segment: str, title: str) -> str:
    """Slug for an imported article: the link's last segment, so a second run
    finds the article again by its link."""
    base = (slugify(last_segment) or slugify(title) or "disqus-thread")[:120].strip("-")
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base[: 120 - len(str(n)) - 1]}-{n}"
        n += 1
    return slug


def _next_ids(model, count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_insert(model, rows: Iterable[dict[str, Any]]) -> None:
    """INSERT rows with COPY: an import writes thousands of rows, and building
    model instances for bulk_create costs more than the database does. Every
    concrete field is written; fields the rows leave out get the model's default,
    so a field added to the model later is filled as the ORM would fill it (one
    that must be given fails loudly on its NOT NULL constraint). Every row has
    the keys of the first.

    `rows` may be a generator: each row goes to the server as it is made, so
    PostgreSQL stores one (its triggers, its indexes) while Python makes the next."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_name[name] for name in first]
    # The database numbers rows whose id we did not reserve.
    left_out = [f for f in by_name.values() if f.attname not in first and not f.primary_key]
    # What the ORM would store for a field left out ("" for text, None when nullable):
    # the same for every row, so added to each as one tuple; JSON as its text, made
    # once (COPY reads text), not dumped again for every row.
    tail = tuple(
        json.dumps(f.get_default(), cls=f.encoder)
        if f.get_internal_type() == "JSONField"
        else f.get_db_prep_save(f.get_default(), connection)
        for f in left_out
    )
    pick = itemgetter(*first)  # the row's values as a tuple, in one call
    json_given = [f for f in given if f.get_internal_type() == "JSONField"]

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        if json_given:
            row = row | {
                f.attname: f.get_db_prep_save(row[f.attname], connection) for f in json_given
            }
        picked = pick(row)
        return picked if len(given) > 1 else (picked,)

    names = ", ".join(connection.ops.quote_name(f.column) for f in [*given, *left_out])
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in chain([first], rows):
            copy.write_row(values(row) + tail)


def apply(result: ImportPlan, *, now: datetime, article_author=None) -> None:
    """Write the plan. Must run inside the transaction that made the plan."""
    if article_author is None and any(a is None for a in result.articles.values()):
        article_author = _archive_author(now=now)
    # Articles of this run: no reader has seen their threads (below).
    earlier_articles = {a.pk for a in result.articles.values() if a is not None}
    _create_articles(result, by=article_author, now=now)
    if not result.new_posts:
        return

    User = get_user_model()
    authors = list(result.new_authors.values())
    user_ids = dict(result.matched_users)
    user_ids.update(zip((a.email for a in authors), _next_ids(User, len(authors)), strict=True))
    # Generators, so each row is stored while the next is made (_copy_insert).
    _copy_insert(
        User,
        (
            {
                "id": user_ids[a.email],
                "email": a.email,
                "display_name": a.display_name,
                "display_name_lang": language_of(a.display_name),
                # What make_password(None) gives (unusable: "!" + random), without
                # its per-character random.choice, which dominates a large import.
                "password": UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30),
                "date_joined": a.joined or now,
            }
            for a in authors
        ),
    )
    # An address on file is what lets them ask for a password reset.
    _copy_insert(
        EmailAddress,
        (
            {"user_id": user_ids[a.email], "email": a.email, "verified": False, "primary": True}
            for a in authors
        ),
    )

    # Ids in time order, so a path sort (which compares ids) keeps posting order.
    posts = sorted(result.new_posts, key=lambda p: (p.created_at, p.line))
    ids = next_comment_ids(len(posts))
    new_id = {p.dsq_id: pk for p, pk in zip(posts, ids, strict=True)}
    # Path, root and depth of every post, parents first whatever the time order.
    placed: dict[str, tuple[int, str, int, int]] = {
        d: (row[0], row[1], row[2], row[3]) for d, row in result.existing_parents.items()
    }
    by_dsq = {p.dsq_id: p for p in posts}
    ip_cache: dict[str, str] = {}

    def place(post: PostRecord) -> tuple[int, str, int, int]:
        unplaced = []
        cur = post
        while cur.dsq_id not in placed:
            unplaced.append(cur)
            if not cur.parent_id or cur.parent_id in placed:
                break
            cur = by_dsq[cur.parent_id]
        for c in reversed(unplaced):
            pk = new_id[c.dsq_id]
            segment = str(pk).zfill(PATH_SEGMENT_WIDTH)
            if c.parent_id:
                _, ppath, proot, pdepth = placed[c.parent_id]
                placed[c.dsq_id] = (pk, f"{ppath}.{segment}", proot, pdepth + 1)
            else:
                placed[c.dsq_id] = (pk, path_for(pk, None), pk, 0)
        return placed[post.dsq_id]

    # Reply counts are written with the rows: the published replies each new
    # post gets in this run (a parent imported earlier is recounted below).
    replies = Counter(
        p.parent_id for p in posts if p.parent_id and result.status_of(p) == CommentStatus.PUBLISHED
    )
    article_of: dict[str, int] = {}
    for tid in {p.thread_id for p in posts}:
        article = result.articles[tid]
        assert article is not None  # posts of skipped threads were left out above
        article_of[tid] = article.pk
    article_ids = sorted(set(article_of.values()))

    def comment_rows() -> Iterator[dict[str, Any]]:
        # A generator: each row is sent while the next is made (_copy_insert).
        for p in posts:
            pk, path, root_id, depth = place(p)
            status = result.status_of(p)
            # Its author deleted it on Disqus: the placeholder keeps the thread's shape,
            # the text is not kept (as when a reader deletes a comment here).
            deleted = status == CommentStatus.DELETED_BY_AUTHOR
            if p.ip not in ip_cache:
                ip_cache[p.ip] = ip_hash(p.ip)
            yield {
                "id": pk,
                "article_id": article_of[p.thread_id],
                "parent_id": placed[p.parent_id][0] if p.parent_id else None,
                "root_id": root_id,
                "path": path,
                "depth": depth,
                "author_id": user_ids[result.post_email[p.dsq_id]],
                "body": "" if deleted else p.body,
                "body_html": "" if deleted else p.body_html,
                "body_lang": "" if deleted else p.body_lang,
                "status": status.value,
                "reason_category": ReasonCategory.SPAM.value
                if status == CommentStatus.REJECTED
                else "",
                "reply_count": replies.get(p.dsq_id, 0),
                "created_at": p.created_at,
                "status_changed_at": p.created_at,
                "ip_hash": ip_cache[p.ip],
                "import_ref": IMPORT_REF_PREFIX + p.dsq_id,
            }

    _copy_insert(Comment, comment_rows())

    # Denormalised counts: parents an earlier run imported that got new replies,
    # and the touched articles, recounted in two statements.
    earlier_parents = [result.existing_parents[d][0] for d in replies if d not in new_id]
    with connection.cursor() as cursor:
        if earlier_parents:
            cursor.execute(
                """
                UPDATE comments_comment AS c SET reply_count = (
                    SELECT count(*) FROM comments_comment AS r
                    WHERE r.parent_id = c.id AND r.status = %s
                )
                WHERE c.id = ANY(%s)
                """,
                [CommentStatus.PUBLISHED, earlier_parents],
            )
        cursor.execute(
            """
            UPDATE articles_article AS a SET comment_count = (
                SELECT count(*) FROM comments_comment AS c
                WHERE c.article_id = a.id AND c.status = %s
            )
            WHERE a.id = ANY(%s)
            """,
            [CommentStatus.PUBLISHED, article_ids],
        )
    # A thread rendered before this run is out of date. An article this run made
    # has none (its id is new), so it does not need the shared cache (whose first
    # use in a process imports the Redis client: 0.04 s of a 0.2 s import).
    for article_id in article_ids:
        if article_id in earlier_articles:
            thread_changed(article_id)


def import_disqus(
    *,
    source: str | Path | BinaryIO,
    section: str | None = None,
    skip_unmatched: bool = False,
    skip_orphans: bool = False,
    dry_run: bool = False,
    article_author=None,
    now: datetime | None = None,
    parsed: ParsedExport | None = None,
) -> ImportResult:
    """Import a Disqus export, or (dry_run) say what importing it would do.

    Raises DisqusImportError listing every problem (with line numbers) and
    storing nothing when the export or its fit with the database is wrong.
    Idempotent: posts already imported (by Disqus id) are left as they are.
    `parsed` is `source` already read (comments.importers.early), if it was.
    """
    now = now or timezone.now()
    if parsed is None:
        parsed = parse(source)
    if skip_orphans:
        leave_out_orphans(parsed)
    if parsed.problems:
        raise DisqusImportError(parsed.problems)
    with transaction.atomic():
        # One import at a time: two runs of the same file must not both insert.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7302, 1])
        target = find_section(section) if section else None
        result = plan(
            parsed, section=target, skip_unmatched=skip_unmatched, skip_orphans=skip_orphans
        )
        if result.problems:
            raise DisqusImportError(result.problems)
        counts = result.counts()
        threads_used = {p.thread_id for p in result.new_posts}
        if dry_run:
            articles = {
                tid: (
                    a.slug
                    if a
                    else _slug_for_thread(
                        _link_candidates(parsed.threads[tid].link)[1], parsed.threads[tid].title
                    )
                )
                for tid, a in result.articles.items()
                if tid in threads_used
            }
            return ImportResult(
                counts,
                True,
                result.skipped_threads,
                articles,
                left_out=_by_line(parsed.orphans.values()),
                notes=parsed.notes,
            )
        apply(result, now=now, article_author=article_author)
        if result.new_posts:
            audit.record(
                action=ActionCode.IMPORT_DISQUS,
                actor=None,
                data={
                    **counts,
                    "file": Path(source).name if isinstance(source, (str, Path)) else "",
                    "articles": sorted(
                        a.slug for t, a in result.articles.items() if a and t in threads_used
                    ),
                },
                now=now,
            )
        articles = {t: a.slug for t, a in result.articles.items() if a and t in threads_used}
    return ImportResult(
        counts,
        False,
        result.skipped_threads,
        articles,
        left_out=_by_line(parsed.orphans.values()),
        notes=parsed.notes,
    )


def _by_line(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line or 0)
