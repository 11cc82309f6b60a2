"""The article page's thread HTML, and who shares a rendering of it.

Readers whose view is nobody else's (they wrote or recommended something in this
article) and pages with a form opened in place are rendered for them alone.
Everyone else shares one rendering per thread version, page and kind of reader
(signed in or not), stored without a CSRF input: the request's own is put in
place of `render.CSRF_SENTINEL` on the way out. A change to the thread moves
its version (comments.cache), so no stale rendering is ever served.

Shared renderings are kept as UTF-8 bytes: a whole thread is over a megabyte,
and encoding it (and unpickling it as text) on every request was most of a
cached page's time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from comments import access, selectors
from comments import render as thread_render
from comments.cache import rendering_get, rendering_set, thread_version

CSRF_SENTINEL_BYTES = thread_render.CSRF_SENTINEL.encode()
# Rendered thread HTML lives this long at most; a change makes it unreachable at
# once anyway (comments/cache.py), so this only bounds the cache's size over time.
THREAD_CACHE_TIMEOUT = 24 * 3600


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


def _read(req: ThreadRequest, reader: User | None, cursor: str | None) -> selectors.ThreadPage:
    if req.whole:
        return selectors.thread_all(article_id=req.article.pk, user=reader)
    return selectors.thread_page(
        article_id=req.article.pk, user=reader, sort=req.sort, cursor=cursor
    )


def thread_html(
    req: ThreadRequest, *, open_id: int | None = None, form: FormRenderer | None = None
) -> tuple[bytes, bool]:
    """The <li>s of the thread list, as UTF-8, and whether it holds any comment.
    `open_id` and `form`: a comment whose action form is opened in place."""
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
        return own.encode(), bool(page.items)

    def shared() -> tuple[bytes, bool]:
        """The rendering every stranger to this thread gets, CSRF input left out."""
        page = _read(req, None, cursor)
        viewer = thread_render.Viewer(
            signed_in=signed_in, user_id=None, comments_open=comments_open
        )
        return thread_render.thread_page(page, viewer, page_path=page_path).encode(), bool(
            page.items
        )

    if settings.THREAD_CACHE:
        key = ":".join(
            str(part)
            for part in (
                "thread-html-utf8",  # renamed when entries became bytes
                req.article.pk,
                thread_version(req.article.pk),
                "all" if req.whole else req.sort,
                cursor or "",
                "reader" if signed_in else "anon",
                int(comments_open),
            )
        )
        cached = rendering_get(key)
        if cached is None:
            cached = shared()
            rendering_set(key, cached, THREAD_CACHE_TIMEOUT)
    else:
        cached = shared()
    html, has_items = cached
    if signed_in:
        html = html.replace(CSRF_SENTINEL_BYTES, req.csrf_input.encode())
    return html, has_items
