"""The article page's thread HTML, and who shares a rendering of it; and the
whole page a reader without a session gets, kept compressed.

Readers whose view is nobody else's (they wrote or recommended something in this
article) and pages with a form opened in place are rendered for them alone.
Everyone else shares one rendering per thread version, page and kind of reader
(signed in or not), stored without a CSRF input: the request's own is put in
place of `render.CSRF_SENTINEL` on the way out. A change to the thread moves
its version (comments.cache), so no stale rendering is ever served.

A visitor with no session (`is_stranger`) sees exactly what every other such
visitor sees: no name, no token, no message. For them the whole page is the
shared thing (`SharedPage`): named by everything it shows (the article as
stored, the thread version, the page of the thread, the day, the address, this
release of the code), served with an ETag and Last-Modified made from that name
so a repeat visit is a 304 without rendering, and kept in the shared cache in
the encoding each client asked for (brotli, gzip or none), compressed once when
first asked: a cached page costs no compression work. A shared proxy may keep
it a few seconds (`SHARED_CACHE_CONTROL`).

Shared renderings are kept as UTF-8 bytes: a whole thread is over a megabyte,
and encoding it (and unpickling it as text) on every request was most of a
cached page's time.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from datetime import time as clock_time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils import timezone, translation

from accounts.models import User
from articles.models import Article
from comments import access, selectors
from comments import render as thread_render
from comments.cache import (
    rendering_get,
    rendering_remember,
    rendering_set,
    thread_version,
    version_time,
)
from core.compression import compress_response, compress_stored
from core.release import release_id

CSRF_SENTINEL_BYTES = thread_render.CSRF_SENTINEL.encode()
# Rendered thread HTML lives this long at most; a change makes it unreachable at
# once anyway (comments/cache.py), so this only bounds the cache's size over time.
THREAD_CACHE_TIMEOUT = 24 * 3600
# A stored page also shows the sections menu, which the site keeps for 5 minutes
# without a version (metoo_site.context_processors): a page lives no longer.
PAGE_CACHE_TIMEOUT = 300
# What a shared page says to caches: browsers check it again every time (a 304
# when nothing changed); a shared proxy (nginx, a CDN) may serve it for 5 s, and
# 5 s more while it asks the site again, so a decision or a new comment reaches
# readers behind it within about 10 s at most. docs/OPERATIONS.md has the nginx
# configuration that does this.
SHARED_CACHE_CONTROL = "public, max-age=0, s-maxage=5, stale-while-revalidate=5"
# A page for one reader: never kept by a shared cache; the browser asks again.
PRIVATE_CACHE_CONTROL = "private, no-cache"


@dataclass(frozen=True)
class ThreadRequest:
    """What decides a thread's HTML: the article, the reader, the page of it."""

    article: Article
    user: User | None
    csrf_input: str  # the reader's CSRF <input> ("" when signed out)
    sort: str
    cursor: str | None
    whole: bool  # every comment on one page


# The action form opened in place for one comment (no-JavaScript reply, edit,
# delete and report): the view renders it, given the comment id.
FormRenderer = Callable[[int], str]


def _normal_cursor(cursor: str | None) -> str | None:
    """A cursor as the selectors read it (a mangled one means the first page), so
    two spellings of one page share one rendering."""
    decoded = selectors.decode_cursor(cursor)
    return f"{decoded[0]}.{decoded[1]}" if decoded else None


def _read(
    req: ThreadRequest, reader: User | None, cursor: str | None, *, bodies: bool = True
) -> selectors.ThreadPage:
    if req.whole:
        return selectors.thread_all(article_id=req.article.pk, user=reader, bodies=bodies)
    return selectors.thread_page(
        article_id=req.article.pk, user=reader, sort=req.sort, cursor=cursor, bodies=bodies
    )


def thread_html(
    req: ThreadRequest,
    *,
    open_id: int | None = None,
    form: FormRenderer | None = None,
    share: bool = True,
) -> tuple[list[bytes], bool]:
    """The <li>s of the thread list, as pieces of UTF-8 for the page to join once
    (`b"".join`), and whether it holds any comment.
    `open_id` and `form`: a comment whose action form is opened in place.
    `share`: store a shared rendering this request makes in the shared cache (a
    page kept whole, `shared_page_body`, keeps it in this process only)."""
    now = timezone.now()
    user = req.user
    signed_in = access.viewer_id(user) is not None
    comments_open = req.article.comments_open(now)
    page_path = req.article.get_absolute_url()
    cursor = _normal_cursor(req.cursor) if req.cursor is not None else None

    personal = selectors.viewer_has_personal_state(article_id=req.article.pk, user=user)
    if personal or (open_id and form):
        page = _read(req, user, cursor)
        viewer = thread_render.Viewer(
            signed_in=signed_in,
            user_id=access.viewer_id(user),
            comments_open=comments_open,
            edit_cutoff=access.edit_cutoff(now),
            csrf_input=req.csrf_input if signed_in else "",
        )
        forms = {}
        if open_id and form and any(item.comment.pk == open_id for item in page.items):
            forms[open_id] = form(open_id)
        own = thread_render.thread_page(page, viewer, page_path=page_path, forms=forms)
        return [own.encode()], bool(page.items)

    def shared() -> tuple[list[bytes], bool]:
        """The rendering every stranger to this thread gets, CSRF input left out."""
        # Bare: each comment's HTML is remembered by its version, and only the
        # comments not remembered have their bodies, times and the rest read.
        page = _read(req, None, cursor, bodies=False)
        viewer = thread_render.Viewer(
            signed_in=signed_in, user_id=None, comments_open=comments_open
        )
        html = thread_render.shared_thread_page(
            page, viewer, page_path=page_path, details=selectors.comment_details
        )
        return html, bool(page.items)

    if settings.THREAD_CACHE:
        # Everything the HTML depends on beside the code: a page size or nesting
        # depth set differently (another server, a test) is another rendering.
        key = ":".join(
            str(part)
            for part in (
                "thread-html-utf8",  # renamed when entries became bytes
                req.article.pk,
                thread_version(req.article.pk),
                "all" if req.whole else f"{req.sort}:{settings.COMMENTS_PAGE_SIZE}",
                cursor or "",
                "reader" if signed_in else "anon",
                int(comments_open),
                settings.COMMENT_DISPLAY_DEPTH,
                translation.get_language(),  # the interface's words in the thread
            )
        )
        cached = rendering_get(key)
        if cached is None:
            parts, has_items = shared()
            cached = (b"".join(parts), has_items)
            if share:
                rendering_set(key, cached, THREAD_CACHE_TIMEOUT)
            else:
                rendering_remember(key, cached)
        parts, has_items = [cached[0]], cached[1]
    else:
        parts, has_items = shared()
    if signed_in:
        parts = [b"".join(parts).replace(CSRF_SENTINEL_BYTES, req.csrf_input.encode())]
    return parts, has_items


# ---------------------------------------------------------------- the shared page


def is_stranger(cookies: Mapping[str, str]) -> bool:
    """Whether a request comes from someone the site knows nothing about: no
    session (so not signed in, and no message kept for them there) and no
    messages cookie. Everyone such sees the same article page."""
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


@dataclass(frozen=True)
class SharedPage:
    """An article page (or its "show more" fragment) as every stranger sees it."""

    key: str  # names everything the page shows; also its ETag
    frame_key: str  # the same, but for the thread: the page around it
    last_modified: float  # seconds since 1970
    storable: bool  # an address the shared cache may keep a copy for

    def etag(self, encoding: str) -> str:
        """A strong ETag per encoding: the brotli and gzip bodies differ."""
        return f'"{self.key}-{encoding}"' if encoding else f'"{self.key}"'


def shared_page(
    *,
    article: Article,
    sort: str,
    cursor: str | None,
    whole: bool,
    fragment: bool,
    address: str,
    storable: bool,
    now: datetime,
) -> SharedPage:
    """Name a stranger's page: the article as stored (an edit moves `updated_at`),
    the thread version (any change to what the thread shows moves it), which page
    of the thread, whether comments are open, the day (the masthead's date), the
    page's own address (its canonical link and sign-in links name it) and this
    release. `storable`: the address is one a copy may be kept for (a plain
    article address, with at most the order and the page of the thread)."""
    # With the thread cache off nothing is kept, not even a version: every page is
    # new (and never answered with a 304), as every rendering is.
    version = thread_version(article.pk) if settings.THREAD_CACHE else time.time_ns() * 1024
    today = timezone.localdate(now)
    frame = (
        "page-v1",
        release_id(),
        article.pk,
        article.updated_at.timestamp(),
        article.comment_count,
        article.status,
        article.published_at.timestamp() if article.published_at else "",
        article.section.slug,
        article.section.name,
        int(article.comments_open(now)),
        "all" if whole else f"{sort}:{settings.COMMENTS_PAGE_SIZE}",
        _normal_cursor(cursor) or "",
        "fragment" if fragment else "page",
        settings.COMMENT_DISPLAY_DEPTH,
        today.isoformat(),
        address,
        translation.get_language(),
    )
    midnight = timezone.make_aware(datetime.combine(today, clock_time.min)).timestamp()
    modified = max(article.updated_at.timestamp(), version_time(version), midnight)
    return SharedPage(
        key=_digest((*frame, version)),
        frame_key=_digest(frame),
        last_modified=modified,
        storable=storable,
    )


def _digest(parts: tuple[object, ...]) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def shared_frame(page: SharedPage, has_items: bool, render: Callable[[], bytes]) -> bytes:
    """The stranger's page around its thread (the article, the comment section's
    head, the links around it), with the thread's place marked: it does not change
    when the thread does, so after a new comment only the thread is rendered. Kept
    as long as a whole page, also with the thread cache off (which is about
    threads: every request then still reads and renders its thread)."""
    if not page.storable:
        return render()
    key = f"shared-frame:{page.frame_key}:{int(has_items)}"
    cached = rendering_get(key)
    if cached is None:
        cached = (render(), has_items)
        rendering_set(key, cached, PAGE_CACHE_TIMEOUT)
    return cached[0]


def shared_page_body(page: SharedPage, encoding: str, render: Callable[[], bytes]) -> bytes:
    """The page's body in `encoding`, from the cache when a copy is there, else
    `render`ed (as UTF-8) and compressed, and the copy kept for the next stranger.
    Each encoding is kept as it is first asked for: the page as rendered stays in
    this process, so a second encoding is compressed from it, not rendered again."""
    if not (settings.THREAD_CACHE and page.storable):
        return compress_response(render(), encoding)
    key = f"shared-page:{page.key}:{encoding or 'identity'}"
    cached = rendering_get(key)
    if cached is not None:
        return cached[0]
    plain_key = f"shared-page:{page.key}:identity"
    plain = rendering_get(plain_key) if encoding else None
    if plain is None:
        plain = (render(), True)
        if encoding:
            rendering_remember(plain_key, plain)
    body = compress_stored(plain[0], encoding)
    rendering_set(key, (body, True), PAGE_CACHE_TIMEOUT)
    return body
