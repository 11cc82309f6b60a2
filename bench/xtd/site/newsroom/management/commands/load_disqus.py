"""Load Disqus XML exports into the xtd peer: one Article per export, every post an
xtd comment under its parent.

    manage.py load_disqus d2000=/tmp/d2000.xml d200=/tmp/d200.xml

prints {"d2000": "/articles/d2000/", ...} on stdout (and counts on stderr).

Deleted and spam posts are loaded too, but not public (deleted ones also
is_removed): xtd's tree tag only lists public comments, so the page shows the
others, as a site that imported the export would. Disqus authors become guests
(user_name, user_email; no accounts).

Fast path (the default): the django_comments rows go in with one bulk_create, and
xtd's own rows (thread_id, parent_id, level, order, nested_count) are computed here
and inserted in one executemany. The values are those XtdComment.save() gives when
the posts are saved one by one in the export's order (= Disqus's numbering, by
time): a top-level comment is its own thread and parent, level 0, order 1; a reply
takes its parent's thread, level + 1, and the order just after its parent's
subtree, so a thread's `order` is its pre-order walk with siblings by id, and
nested_count is the number of descendants. --via-save saves each comment with
XtdComment.save() instead (slow; to check the fast path against).
"""

from __future__ import annotations

import json
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser

from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from newsroom.models import Article

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


class _Text(HTMLParser):
    """Disqus's comment HTML to the plain text xtd keeps (paragraphs by blank lines)."""

    BLOCK = {"p", "div", "blockquote", "li", "ul", "ol", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html: str) -> str:
    p = _Text()
    p.feed(html or "")
    p.close()
    paragraphs = "".join(p.parts).split("\n\n")
    return "\n\n".join(s.strip() for s in paragraphs if s.strip())


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))


def _bool(el, name: str) -> bool:
    return (el.findtext(NS + name) or "").strip().lower() == "true"


@dataclass
class Post:
    dsq: str
    thread: str
    parent: str | None
    text: str
    created: datetime
    name: str
    email: str
    ip: str | None
    deleted: bool
    spam: bool


def parse(path: str):
    threads: dict[str, dict] = {}
    posts: list[Post] = []
    # The exports are bench/disqus_export.py's, made by the bench itself.
    for _event, el in ET.iterparse(path, events=("end",)):  # noqa: S314
        if el.tag == NS + "thread" and el.get(DSQ_ID) and el.find(NS + "title") is not None:
            threads[el.get(DSQ_ID)] = {
                "title": (el.findtext(NS + "title") or "").strip(),
                "body": html_to_text(el.findtext(NS + "message") or ""),
                "created": _when(el.findtext(NS + "createdAt")),
            }
            el.clear()
        elif el.tag == NS + "post":
            parent = el.find(NS + "parent")
            author = el.find(NS + "author")
            name = email = ""
            if author is not None:
                name = (
                    author.findtext(NS + "name") or author.findtext(NS + "username") or ""
                ).strip()
                email = (author.findtext(NS + "email") or "").strip()
            posts.append(
                Post(
                    dsq=el.get(DSQ_ID),
                    thread=el.find(NS + "thread").get(DSQ_ID),
                    parent=parent.get(DSQ_ID) if parent is not None else None,
                    text=html_to_text(el.findtext(NS + "message") or ""),
                    created=_when(el.findtext(NS + "createdAt")),
                    name=name[:50] or "Guest",
                    email=email[:254],
                    ip=(el.findtext(NS + "ipAddress") or "").strip() or None,
                    deleted=_bool(el, "isDeleted"),
                    spam=_bool(el, "isSpam"),
                )
            )
            el.clear()
    return threads, posts


class Command(BaseCommand):
    help = "Load Disqus exports (NAME=PATH ...), one article each; print NAME -> URL path as JSON."

    def add_arguments(self, parser):
        parser.add_argument("exports", nargs="+", metavar="NAME=PATH")
        parser.add_argument(
            "--via-save",
            action="store_true",
            help="save each comment with XtdComment.save() (slow; for checking)",
        )

    def handle(self, *args, exports, via_save, **options):
        urls = {}
        for spec in exports:
            name, sep, path = spec.partition("=")
            if not sep or not name or not path:
                raise CommandError(f"expected NAME=PATH, got {spec!r}")
            start = time.perf_counter()
            threads, posts = parse(path)
            used = {p.thread for p in posts}
            if len(used) > 1:
                raise CommandError(f"{path}: posts of {len(used)} threads; one article per export")
            tid = next(iter(used)) if used else next(iter(threads))
            thread = threads[tid]
            with transaction.atomic():
                article = self.load(name, thread, posts, via_save)
            shown = sum(1 for p in posts if not p.deleted and not p.spam)
            deleted = sum(p.deleted for p in posts)
            spam = sum(p.spam and not p.deleted for p in posts)
            print(
                f"{name}: {len(posts)} posts ({shown} public, {deleted} deleted, {spam} spam) "
                f"in {time.perf_counter() - start:.2f} s",
                file=sys.stderr,
            )
            urls[name] = article.get_absolute_url()
        self.stdout.write(json.dumps(urls))

    def load(self, name, thread, posts, via_save):
        old = Article.objects.filter(slug=name).first()
        ct = ContentType.objects.get_for_model(Article)
        if old is not None:
            XtdComment.objects.filter(content_type=ct, object_pk=str(old.pk)).delete()
            old.delete()
        article = Article.objects.create(
            title=thread["title"][:300],
            slug=name,
            body=thread["body"],
            published_at=thread["created"],
        )
        site = Site.objects.get_current()

        def fields(p: Post) -> dict:
            return {
                "content_type": ct,
                "object_pk": str(article.pk),
                "site": site,
                "user_name": p.name,
                "user_email": p.email,
                "user_url": "",
                "comment": p.text,
                "submit_date": p.created,
                "ip_address": p.ip,
                "is_public": not (p.deleted or p.spam),
                "is_removed": p.deleted,
            }

        new_id: dict[str, int] = {}
        if via_save:
            for p in posts:
                c = XtdComment(**fields(p), parent_id=new_id[p.parent] if p.parent else 0)
                c.save()
                new_id[p.dsq] = c.pk
            return article

        rows = Comment.objects.bulk_create([Comment(**fields(p)) for p in posts], batch_size=1000)
        for p, row in zip(posts, rows, strict=True):
            new_id[p.dsq] = row.pk
        # The tree, as XtdComment.save() would have made it (see the module's doc).
        parent_of: dict[int, int] = {}
        children: dict[int, list[int]] = {}
        roots: list[int] = []
        for p in posts:
            me = new_id[p.dsq]
            if p.parent is None:
                roots.append(me)
            else:
                if p.parent not in new_id or new_id[p.parent] >= me:
                    raise CommandError(f"post {p.dsq}: parent {p.parent} missing or later")
                parent_of[me] = new_id[p.parent]
                children.setdefault(new_id[p.parent], []).append(me)
        values = []
        for root in roots:
            # Iterative pre-order walk; siblings by id (the order they were posted).
            walk: list[tuple[int, int]] = []
            stack = [(root, 0)]
            while stack:
                node, level = stack.pop()
                walk.append((node, level))
                stack.extend((k, level + 1) for k in reversed(children.get(node, [])))
            size: dict[int, int] = {}
            for node, _level in reversed(walk):
                size[node] = sum(size[k] + 1 for k in children.get(node, []))
            for order, (node, level) in enumerate(walk, start=1):
                values.append(
                    (node, root, parent_of.get(node, node), level, order, False, size[node])
                )
        meta = XtdComment._meta
        q = connection.ops.quote_name
        names = [
            "comment_ptr",
            "thread_id",
            "parent_id",
            "level",
            "order",
            "followup",
            "nested_count",
        ]
        columns = ", ".join(q(meta.get_field(n).column) for n in names)
        # Identifiers from the model's own metadata, quoted; the values are parameters.
        params = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES ({params})"  # noqa: S608
        with connection.cursor() as cur:
            cur.executemany(sql, values)
        return article
