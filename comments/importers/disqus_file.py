"""Read a Disqus export: the records of its threads and posts, checked on the
file's own terms (well-formed, every post's thread and parent present, dates
readable, no parent cycles), with the line of each. No database, no Django
models: comments.importers.early reads a file here while Django starts, in a
process of its own (comments.importers.disqus imports what it returns).

`prepare_texts` turns each post's HTML into the text, HTML and language that
are stored, the same way wherever it runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit
from xml.parsers import expat

from comments.importers.html_text import html_to_text
from comments.text import normalize_body, render_body
from core.script import language_of

NS_DISQUS = "http://disqus.com"
NS_INTERNALS = "http://disqus.com/disqus-internals"
_SEP = "\x1f"  # expat joins namespace and local name with this
_DSQ_ID = f"{NS_INTERNALS}{_SEP}id"
MAX_REPORTED_PROBLEMS = 100
# A loop of replies longer than this is named by its first three posts.
_LOOP_SHOWN = 12
_SPACES = re.compile(r"\s+")


# Said after the problems when some are posts without their thread or parent.
ORPHAN_HINT = (
    "Posts whose thread or parent is missing can be left out, and the rest "
    "imported, with --skip-orphans."
)


class DisqusImportError(Exception):
    """The export cannot be imported; `problems` lists each one with its line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        shown = self.problems[:MAX_REPORTED_PROBLEMS]
        lines = [str(p) for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"... and {len(self.problems) - len(shown)} more problems")
        if any(p.orphan for p in self.problems):
            lines.append(ORPHAN_HINT)
        head = f"Nothing was imported ({len(self.problems)} problem(s)):"
        return "\n".join([head, *lines])


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str
    orphan: bool = False  # a post whose thread or parent is missing (--skip-orphans)

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


@dataclass
class ThreadRecord:
    dsq_id: str
    line: int
    link: str = ""
    title: str = ""
    message: str = ""
    created_at: datetime | None = None
    has_created: bool = False
    is_closed: bool = False


@dataclass
class AuthorRecord:
    email: str = ""
    name: str = ""
    username: str = ""
    anonymous: bool = False


@dataclass
class PostRecord:
    dsq_id: str
    line: int
    message: str = ""
    created_at: datetime | None = None
    has_created: bool = False
    is_deleted: bool = False
    is_spam: bool = False
    author: AuthorRecord = field(default_factory=AuthorRecord)
    ip: str = ""
    thread_id: str = ""
    thread_line: int = 0
    parent_id: str = ""
    parent_line: int = 0
    # The message as our plain text, its HTML and its language (prepare_texts);
    # None until they are made.
    body: str = ""
    body_html: str | None = None
    body_lang: str = ""


@dataclass
class ParsedExport:
    threads: dict[str, ThreadRecord] = field(default_factory=dict)
    posts: list[PostRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Posts whose thread or parent is missing (post dsq:id -> the problem): each is
    # also a problem, unless the import is asked to leave them out (--skip-orphans).
    orphans: dict[str, Problem] = field(default_factory=dict)
    # What the report should say that stops nothing (an empty <thread>).
    notes: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------- parse


def _parse_bool(value: str, *, what: str, line: int, problems: list[Problem]) -> bool:
    value = value.strip().lower()
    if value in {"true", "1"}:
        return True
    if value in {"false", "0", ""}:
        return False
    problems.append(Problem(line, f"{what} must be true or false, not “{value}”"))
    return False


def _parse_date(value: str, *, what: str, line: int, problems: list[Problem]) -> datetime | None:
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.append(
            Problem(line, f"{what} “{value}” is not a date (expected 2024-03-04T10:26:25Z)")
        )
        return None
    # Disqus writes UTC with a trailing Z; a time without a zone is UTC too.
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class _Reader:
    """Expat callbacks building records; line numbers come from the parser.

    They run once for every element and every piece of text (a hundred thousand
    times for 2,000 posts), so each does as little as it can: the depth is a
    count, not a list; the text goes straight into one list (expat calls its
    `append`, no Python function in between), joined only where it is kept; a
    value's problems name the line its element starts on."""

    def __init__(self, parser: expat.XMLParserType, out: ParsedExport):
        self.p = parser
        self.out = out
        self.depth = 0  # elements open
        self.in_author = False  # inside a post's <author>
        self.local: dict[str, str] = {}  # expat's "namespace<SEP>name" -> name
        self.text: list[str] = []  # the text of the element open last (parser's handler)
        self.text_line = 0
        self.thread: ThreadRecord | None = None
        self.post: PostRecord | None = None
        self.seen_posts: dict[str, int] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.local.get(name)
        if local is None:
            local = self.local[name] = name.rpartition(_SEP)[2]
        line = self.p.CurrentLineNumber
        depth = self.depth
        self.depth = depth + 1
        self.text.clear()
        self.text_line = line
        if depth == 2:
            post = self.post
            if post is None:
                return
            if local == "author":
                self.in_author = True
            elif local == "thread":
                post.thread_id, post.thread_line = attrs.get(_DSQ_ID, "").strip(), line
            elif local == "parent":
                post.parent_id, post.parent_line = attrs.get(_DSQ_ID, "").strip(), line
        elif depth == 1:
            if local == "thread":
                dsq_id = attrs.get(_DSQ_ID, "").strip()
                if not dsq_id:
                    self.out.problems.append(Problem(line, "<thread> without dsq:id"))
                elif dsq_id in self.out.threads:
                    first = self.out.threads[dsq_id].line
                    self.out.problems.append(
                        Problem(line, f"thread {dsq_id} appears twice (first on line {first})")
                    )
                self.thread = ThreadRecord(dsq_id=dsq_id, line=line)
            elif local == "post":
                dsq_id = attrs.get(_DSQ_ID, "").strip()
                if not dsq_id:
                    self.out.problems.append(Problem(line, "<post> without dsq:id"))
                elif dsq_id in self.seen_posts:
                    first = self.seen_posts[dsq_id]
                    self.out.problems.append(
                        Problem(line, f"post {dsq_id} appears twice (first on line {first})")
                    )
                else:
                    self.seen_posts[dsq_id] = line
                self.post = PostRecord(dsq_id=dsq_id, line=line)
        elif depth == 0 and (local != "disqus" or name.rpartition(_SEP)[0] != NS_DISQUS):
            self.out.problems.append(
                Problem(line, f"this is not a Disqus export (root element <{local}>)")
            )

    def end(self, name: str) -> None:
        self.depth = depth = self.depth - 1
        if depth == 2:
            if self.in_author:
                self._author_field(self.local[name])
            else:
                self._field(self.local[name])
        elif depth == 3:
            if self.in_author:
                self._author_field(self.local[name])
        elif depth == 1:
            if self.thread is not None:
                t = self.thread
                if t.dsq_id and t.dsq_id not in self.out.threads:
                    self.out.threads[t.dsq_id] = t
                    if not (t.link or t.title or t.message.strip() or t.has_created):
                        self.out.notes.append(
                            Problem(t.line, f"thread {t.dsq_id} is empty (no link, title or date)")
                        )
                self.thread = None
            elif self.post is not None:
                self.out.posts.append(self.post)
                self.post = None
        self.text.clear()

    def _field(self, local: str) -> None:
        """A child of <thread> or <post> ends (depth 2)."""
        problems = self.out.problems
        line = self.text_line
        if self.thread is not None:
            t = self.thread
            match local:
                case "link":
                    t.link = "".join(self.text).strip()
                case "title":
                    t.title = _SPACES.sub(" ", "".join(self.text)).strip()
                case "message":
                    t.message = "".join(self.text)
                case "createdAt":
                    t.has_created = True
                    t.created_at = _parse_date(
                        "".join(self.text),
                        what=f"thread {t.dsq_id} createdAt",
                        line=line,
                        problems=problems,
                    )
                case "isClosed":
                    t.is_closed = _parse_bool(
                        "".join(self.text), what="isClosed", line=line, problems=problems
                    )
        elif self.post is not None:
            p = self.post
            match local:
                case "message":
                    p.message = "".join(self.text)
                case "createdAt":
                    p.has_created = True
                    p.created_at = _parse_date(
                        "".join(self.text),
                        what=f"post {p.dsq_id} createdAt",
                        line=line,
                        problems=problems,
                    )
                case "isDeleted":
                    p.is_deleted = _parse_bool(
                        "".join(self.text), what="isDeleted", line=line, problems=problems
                    )
                case "isSpam":
                    p.is_spam = _parse_bool(
                        "".join(self.text), what="isSpam", line=line, problems=problems
                    )
                case "ipAddress":
                    p.ip = "".join(self.text).strip()

    def _author_field(self, local: str) -> None:
        """Inside a post's <author>: one of its fields ends (depth 3), or the
        <author> itself (depth 2)."""
        if self.depth == 2:
            self.in_author = False
            return
        p = self.post
        assert p is not None  # in_author is only set inside a <post>
        match local:
            case "email":
                p.author.email = "".join(self.text).strip()
            case "name":
                p.author.name = "".join(self.text).strip()
            case "username":
                p.author.username = "".join(self.text).strip()
            case "isAnonymous":
                p.author.anonymous = _parse_bool(
                    "".join(self.text),
                    what="isAnonymous",
                    line=self.text_line,
                    problems=self.out.problems,
                )


def parse(source: str | Path | BinaryIO) -> ParsedExport:
    """Read an export and check it on its own terms (no database)."""
    out = ParsedExport()
    parser = expat.ParserCreate(namespace_separator=_SEP)
    parser.buffer_text = True
    reader = _Reader(parser, out)
    parser.StartElementHandler = reader.start
    parser.EndElementHandler = reader.end
    parser.CharacterDataHandler = reader.text.append
    try:
        if isinstance(source, (str, Path)):
            with open(source, "rb") as fh:
                parser.ParseFile(fh)
        else:
            parser.ParseFile(source)
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        out.problems.append(
            Problem(exc.lineno, f"the XML is malformed ({message}, column {exc.offset + 1})")
        )
        return out
    except OSError as exc:
        out.problems.append(Problem(None, f"cannot read the export: {exc.strerror or exc}"))
        return out
    _check_references(out)
    return out


def _check_references(out: ParsedExport) -> None:
    problems = out.problems
    by_id = {p.dsq_id: p for p in out.posts if p.dsq_id}
    # Threads without comments are never imported; only those with posts must be usable.
    used = {p.thread_id for p in out.posts}
    for t in out.threads.values():
        if t.dsq_id not in used:
            continue
        if not t.link:
            problems.append(Problem(t.line, f"thread {t.dsq_id} has no <link>"))
        elif not urlsplit(t.link).path.strip("/"):
            problems.append(Problem(t.line, f"thread {t.dsq_id} link “{t.link}” names no page"))
        if not t.has_created:
            problems.append(Problem(t.line, f"thread {t.dsq_id} has no <createdAt>"))
    for p in out.posts:
        if not p.has_created:
            problems.append(Problem(p.line, f"post {p.dsq_id} has no <createdAt>"))
        if not p.thread_id:
            orphan = Problem(
                p.thread_line or p.line, f"post {p.dsq_id} names no thread", orphan=True
            )
            problems.append(orphan)
            out.orphans[p.dsq_id] = orphan
        elif p.thread_id not in out.threads:
            orphan = Problem(
                p.thread_line,
                f"post {p.dsq_id} belongs to thread {p.thread_id}, which is not in the export",
                orphan=True,
            )
            problems.append(orphan)
            out.orphans[p.dsq_id] = orphan
        if p.parent_id:
            parent = by_id.get(p.parent_id)
            if parent is None:
                # It may have been imported by an earlier run; `plan` checks the database.
                continue
            if parent.thread_id != p.thread_id:
                problems.append(
                    Problem(
                        p.parent_line,
                        f"post {p.dsq_id} replies to post {p.parent_id} (line {parent.line}) "
                        "in another thread",
                    )
                )
    # Parent cycles: follow each chain once; a chain that meets itself is a cycle.
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known good
    for p in out.posts:
        chain: list[str] = []
        cur = p.dsq_id
        while cur in by_id and state.get(cur) is None:
            state[cur] = 1
            chain.append(cur)
            cur = by_id[cur].parent_id
        if cur in by_id and state.get(cur) == 1:
            start = chain.index(cur)
            cycle = chain[start:]
            if len(cycle) > _LOOP_SHOWN:
                cycle = [*cycle[:3], "..."]
            problems.append(
                Problem(
                    by_id[cur].parent_line,
                    "replies form a loop: " + " -> ".join([*cycle, cur]),
                )
            )
        for c in chain:
            state[c] = 2


def leave_out_orphans(parsed: ParsedExport) -> None:
    """--skip-orphans: the posts whose thread is missing, and every reply under
    them, are left out (kept in `orphans` for the report) instead of stopping
    the import; their problems are no longer problems."""
    orphan_problems = {id(problem) for problem in parsed.orphans.values()}
    parsed.problems = [p for p in parsed.problems if id(p) not in orphan_problems]
    leave_out(parsed, set(parsed.orphans))


def leave_out(parsed: ParsedExport, dsq_ids: set[str]) -> None:
    """Take these posts, and the replies under them, out of the export."""
    children: dict[str, list[PostRecord]] = {}
    for p in parsed.posts:
        if p.parent_id:
            children.setdefault(p.parent_id, []).append(p)
    gone = set(dsq_ids)
    todo = list(dsq_ids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child.dsq_id not in gone:
                gone.add(child.dsq_id)
                todo.append(child.dsq_id)
                parsed.orphans.setdefault(
                    child.dsq_id,
                    Problem(
                        child.line, f"post {child.dsq_id} replies to a post left out", orphan=True
                    ),
                )
    parsed.posts = [p for p in parsed.posts if p.dsq_id not in gone]


def prepare_texts(posts: list[PostRecord]) -> None:
    """Each post's message as the plain text we store, and that text's HTML and
    language. Nothing but markup (a lone tag, a script) is shown as the text it
    is, rather than lost."""
    for p in posts:
        p.body = normalize_body(html_to_text(p.message))
        if not p.body and p.message.strip():
            p.body = normalize_body(p.message)
        p.body_html = render_body(p.body)
        p.body_lang = language_of(p.body)
