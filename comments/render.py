"""The comment list as HTML, written in Python.

The article page shows hundreds of comments and the whole-thread page thousands;
a Django template loop cost about 0.4 ms a comment (url tags, partials, a CSRF
token each), this about a hundredth of that. The page, the "show more" fragment
and the recommend toggle all come from these functions, so they cannot drift.

Everything that varies by reader is an argument of `Viewer`; the HTML depends on
nothing else, which is what lets comments/threadcache.py share it, and what lets a
shared rendering reuse each comment's <li> from the last one (`_SharedItems`).
Comment bodies are `body_html`, already escaped and linkified when stored
(comments.text.render_body); everything else is escaped here.

The interface's words (Reply, Report, "3 recommendations") are translated once per
rendering (`_Words`), never once per comment; a count's words once per count. A
rendering is in the active language, which every cache of renderings keys on.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import cast
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import DELETED_NAME
from comments import access
from comments.access import Act
from comments.selectors import ThreadComment, ThreadItem, ThreadPage, with_details
from core.dates import time_element
from core.languages import lang_attrs

# Stands for the reader's CSRF input in HTML that is cached for many readers;
# the view puts the request's own token in its place on the way out.
CSRF_SENTINEL = "<!--csrf-input-->"
# The end of the "Sign in to reply" link's address, after the comment id in its next=.
SIGN_IN_END = '/%3Fopen%3Dreply">'


@dataclass(frozen=True)
class Viewer:
    """Who the list is rendered for. Signed out, `user_id` is None. A signed-in
    reader with no comments and no recommendations in the article is rendered
    with `user_id` None as well (comments.threadcache), so the HTML is the same
    for all of them: they act as a reader who wrote none of the comments."""

    signed_in: bool
    user_id: int | None
    comments_open: bool
    edit_cutoff: datetime | None = None
    csrf_input: str = CSRF_SENTINEL


class _Urls:
    """URL pieces reversed once per rendering, not once per comment."""

    def __init__(self) -> None:
        self.comments = reverse("comments:permalink", args=[1]).removesuffix("1/")
        self.readers = reverse("accounts:reader", args=[1]).removesuffix("1/")
        login = reverse("account_login")
        self.login_next = f"{login}?next={quote(self.comments, safe='/')}"


class _Words:
    """The interface's words of one rendering, in the active language, translated
    (and escaped) once: the thread has thousands of comments and every one of them
    says Reply and Report. The words that hold a count are translated once per
    count met."""

    def __init__(self) -> None:
        self.recommend = escape(_("Recommend"))
        self.recommended = escape(_("Recommended"))
        self.reply = escape(_("Reply"))
        # "%(name)s" is filled with the (escaped) author's name per comment.
        self.reply_to = escape(_("Reply to %(name)s"))
        self.sign_in_to_reply = escape(_("Sign in to reply"))
        self.edit = escape(_("Edit"))
        self.minutes_left = escape(_("(%(minutes)s min left)"))
        self.delete = escape(_("Delete"))
        self.report = escape(_("Report"))
        self.copy_link = escape(_("Copy link"))
        self.link_title = escape(_("Link to this comment"))
        self.edited = escape(_("edited"))
        self.pick = escape(_("Editors’ pick"))
        self.pending = escape(_("Awaiting moderation"))
        self.deleted_account = escape(_("deleted account"))
        self._recommendations: dict[int, str] = {}
        self._recommends: dict[int, str] = {}

    def recommendations(self, count: int) -> str:
        """ "3 recommendations", the recommend button's count for a screen reader."""
        found = self._recommendations.get(count)
        if found is None:
            found = self._recommendations[count] = escape(
                ngettext("%(count)s recommendation", "%(count)s recommendations", count)
                % {"count": count}
            )
        return found

    def recommends(self, count: int) -> str:
        """ "3 recommend", the count shown where the button is not."""
        found = self._recommends.get(count)
        if found is None:
            found = self._recommends[count] = escape(
                ngettext("%(count)s recommends", "%(count)s recommend", count) % {"count": count}
            )
        return found


def recommend_form(
    *, comment_id: int, count: int, recommended: bool, csrf_input: str, error: str = ""
) -> str:
    url = f"{_Urls().comments}{comment_id}/recommend/"
    return _recommend(url, count, recommended, csrf_input, _Words(), error)


def _recommend(
    url: str, count: int, on: bool, csrf_input: str, words: _Words, error: str = ""
) -> str:
    n = ""
    if count:
        n = f' <span class="recommend-n" aria-label="{words.recommendations(count)}">{count}</span>'
    err = f'<span class="field-error" role="alert">{escape(error)}</span>' if error else ""
    return (
        f'<form method="post" action="{url}" class="recommend-form" data-hx-post="{url}"'
        f' data-hx-swap="outerHTML">{csrf_input}<button type="submit" class="recommend'
        f'{" is-on" if on else ""}" aria-pressed="{"true" if on else "false"}">'
        f"{words.recommended if on else words.recommend}{n}</button>{err}</form>"
    )


class _Rendering:
    """What is the same for every comment of one rendering: the viewer, the URLs,
    the time zone, and what a reader who wrote none of the comments may do with a
    comment of each status (comments.access.acts depends on nothing else then)."""

    def __init__(self, viewer: Viewer) -> None:
        urls = _Urls()
        self.words = _Words()
        self.base = urls.comments
        self.readers = urls.readers
        self.sign_in_reply = f'<a class="action" href="{urls.login_next}'
        self.sign_in_reply_end = f"{SIGN_IN_END}{self.words.sign_in_to_reply}</a>"
        self.tz = timezone.get_current_timezone()
        self.signed_in = viewer.signed_in
        self.comments_open = viewer.comments_open
        # No cutoff (a rendering shared by many readers): nobody's comment is editable.
        self.cutoff = viewer.edit_cutoff or datetime.max.replace(tzinfo=UTC)
        self.csrf = viewer.csrf_input
        uid = viewer.user_id
        # A signed-in reader rendered without an id (the shared rendering) acts as a
        # reader who wrote none of these comments: no comment has the id 0.
        self.reader = (uid if uid is not None else 0) if viewer.signed_in else None
        self.names: dict[int, str] = {}
        self._strangers: dict[str, tuple[frozenset[Act], bool]] = {}

    def author(self, c: ThreadComment, name: str) -> str:
        """The author's name, linked to their profile page when it is public."""
        # A deleted account's name is the interface's words, in the page's language.
        lang = "" if c.author_name == DELETED_NAME else lang_attrs(c.author_lang)
        bdi = f"<bdi{lang}>{name}</bdi>"
        if c.author_public:
            return f'<a class="comment-author" href="{self.readers}{c.author_id}/">{bdi}</a>'
        return f'<span class="comment-author">{bdi}</span>'

    def name(self, author_id: int, name: str) -> str:
        escaped = self.names.get(author_id)
        if escaped is None:
            # Once per author: a deleted account's stored name in the reader's language.
            escaped = self.words.deleted_account if name == DELETED_NAME else escape(name)
            self.names[author_id] = escaped
        return escaped

    def acts(self, c: ThreadComment) -> tuple[frozenset[Act], bool]:
        """What the viewer may do with `c`, and whether to offer "Sign in to reply"."""
        if c.author_id == self.reader:
            acts = access.acts(
                viewer_id=self.reader,
                author_id=c.author_id,
                status=c.status,
                created_at=c.created_at,
                comments_open=self.comments_open,
                cutoff=self.cutoff,
            )
            return acts, False
        known = self._strangers.get(c.status)
        if known is None:
            acts = access.acts(
                viewer_id=self.reader,
                author_id=-1,
                status=c.status,
                created_at=c.created_at,
                comments_open=self.comments_open,
                cutoff=self.cutoff,
            )
            after_sign_in = not self.signed_in and Act.REPLY in access.open_after_sign_in(
                status=c.status, comments_open=self.comments_open
            )
            known = self._strangers[c.status] = (acts, after_sign_in)
        return known


def _item_html(item: ThreadItem, r: _Rendering, form: str = "") -> str:
    """One comment's <li>: every comment of every list is written here."""
    c = item.comment
    pk = c.id
    classes = f"comment depth-{item.display_depth}"
    if item.placeholder:
        return (
            f'<li id="c{pk}" class="{classes} is-placeholder">'
            f'<p class="placeholder-text">{escape(item.placeholder)}</p></li>\n'
        )
    if item.own_pending:
        classes += " is-pending"
    if c.is_featured:
        classes += " is-pick"
    name = r.name(c.author_id, c.author_name)
    url = f"{r.base}{pk}/"
    w = r.words
    acts, after_sign_in = r.acts(c)
    head = (
        # The name in its own language and direction, isolated from the English
        # around it (core.languages).
        f'<header class="comment-head">{r.author(c, name)} '
        f'<a class="comment-time" href="{url}" title="{w.link_title}">'
        f"{time_element(c.created_at, r.tz)}</a>"
    )
    if c.edited_at:
        head += f' <span class="edited">{w.edited}</span>'
    if c.is_featured:
        head += f' <span class="pick-mark">{w.pick}</span>'
    if item.own_pending:
        head += f' <span class="badge-pending">{w.pending}</span>'
    head += "</header>"
    if item.replying_to:
        head += f'<p class="replying-to">@<bdi>{escape(item.replying_to)}</bdi></p>'
    actions = []
    count = c.recommend_count
    # Recommend and Report are drawn for every signed-in reader: the shared
    # rendering cannot know who is unconfirmed or sanctioned, and using either
    # says why (comments.access.acts).
    if Act.RECOMMEND in acts:
        actions.append(_recommend(f"{url}recommend/", count, item.recommended, r.csrf, w))
    elif count:
        actions.append(f'<span class="recommend-count">{w.recommends(count)}</span>')
    if Act.REPLY in acts:
        label = w.reply_to % {"name": name}
        actions.append(
            f'<a class="action" href="{url}?open=reply" data-hx-get="{url}form/reply/"'
            f' data-hx-target="#slot-{pk}" aria-label="{label}">{w.reply}</a>'
        )
    elif after_sign_in:
        actions.append(f"{r.sign_in_reply}{pk}{r.sign_in_reply_end}")
    if Act.EDIT in acts:
        # Only ever in the author's own rendering, never a shared one: the time
        # left is theirs, counted from this rendering.
        left = max(1, math.ceil((c.created_at - r.cutoff).total_seconds() / 60))
        actions.append(
            f'<a class="action" href="{url}?open=edit" data-hx-get="{url}form/edit/"'
            f' data-hx-target="#slot-{pk}">{w.edit} <span class="edit-left">'
            f"{w.minutes_left % {'minutes': left}}</span></a>"
        )
    if Act.DELETE in acts:
        actions.append(
            f'<a class="action" href="{url}?open=delete" data-hx-get="{url}form/delete/"'
            f' data-hx-target="#slot-{pk}">{w.delete}</a>'
        )
    if Act.REPORT in acts:
        actions.append(
            f'<a class="action action-quiet" href="{url}?open=report"'
            f' data-hx-get="{url}form/report/" data-hx-target="#slot-{pk}">{w.report}</a>'
        )
    # A link to the comment, copied to the clipboard by static/js/site.js.
    actions.append(
        f'<a class="action action-quiet copy-link" href="{url}" data-copy-link>{w.copy_link}</a>'
    )
    return (
        f'<li id="c{pk}" class="{classes}">{head}'
        f'<div class="comment-body"{lang_attrs(c.body_lang)}>{c.body_html}</div>'
        f'<footer class="comment-actions">{" ".join(actions)}</footer>'
        f'<div class="comment-slot" id="slot-{pk}">{form}</div></li>\n'
    )


def comment_items(
    items: Iterable[ThreadItem], viewer: Viewer, forms: Mapping[int, str] | None = None
) -> str:
    """The <li> of each item. `forms` maps a comment id to an action form rendered
    in its slot (the no-JavaScript reply, edit, delete or report form)."""
    r = _Rendering(viewer)
    forms = forms or {}
    return "".join(_item_html(item, r, forms.get(item.comment.id, "")) for item in items)


# The details of the comments whose <li> is not remembered, by id: a shared
# rendering reads its thread bare (comments.selectors.ThreadComment, comment_details).
DetailLoader = Callable[[list[int]], Mapping[int, tuple[object, ...]]]


class _SharedItems:
    """Each comment's <li> as a shared rendering (`Viewer.user_id` None: everyone
    signed out, or every signed-in reader who wrote and recommended nothing here)
    draws it, as UTF-8, remembered per version of the comment.

    In such a rendering a comment's <li> depends on the comment alone and on two
    facts about the viewer (signed in; comments open), all in the key: the
    comment's version (every change to its text or status moves it), its author's
    name, its recommendation count, its nesting. So an entry is never stale (a
    changed comment has a new key), and a thread read again after a change needs
    only the bodies of the comments that changed: reading all 2,000 bodies and
    writing 2,000 comments was 7 ms of a 2,000-comment page, joining them is 1 ms.
    First in, first out beyond MAX_ITEMS (about 30 MB); a lock for writers,
    because `runserver` serves from threads."""

    MAX_ITEMS = 30_000

    def __init__(self) -> None:
        self._items: dict[tuple[object, ...], bytes] = {}
        self._lock = threading.Lock()

    def html(
        self, items: list[ThreadItem], viewer: Viewer, details: DetailLoader | None, tail: bytes
    ) -> list[bytes]:
        """The items' <li>s, then `tail`, as pieces: the page joins them once, with
        the page around them (a whole thread is a megabyte; joining it here and
        splicing it into the page copied it twice). `details`: where to read the
        details of comments not remembered, when the items came bare."""
        memo = self._items
        signed_in, comments_open = viewer.signed_in, viewer.comments_open
        # The zone's name, not the zone: a key of numbers and strings only is one the
        # garbage collector stops looking at, and there are tens of thousands.
        tz = str(timezone.get_current_timezone())
        # The interface's words and dates are in it.
        language = translation.get_language()
        keys: list[tuple[object, ...]] = []
        found: list[bytes | None] = []
        missing: dict[tuple[object, ...], ThreadItem] = {}
        for item in items:
            c = item.comment
            key = (
                c.id,
                c.version,
                c.is_featured,
                c.author_public,
                c.author_name,
                c.recommend_count,
                item.display_depth,
                item.placeholder,
                item.replying_to,
                signed_in,
                comments_open,
                tz,
                language,
            )
            keys.append(key)
            html = memo.get(key)
            if html is None:
                missing[key] = item
            found.append(html)
        if missing:
            written = self._write(missing, viewer, details)
            found = [
                html if html is not None else written[key]
                for html, key in zip(found, keys, strict=True)
            ]
        found.append(tail)
        return cast(list[bytes], found)

    def _write(
        self,
        missing: dict[tuple[object, ...], ThreadItem],
        viewer: Viewer,
        details: DetailLoader | None,
    ) -> dict[tuple[object, ...], bytes]:
        # A placeholder shows nothing of its comment: its hidden body is not read.
        found: Mapping[int, tuple[object, ...]] = {}
        if details is not None:
            wanted = [item.comment.id for item in missing.values() if not item.placeholder]
            found = details(wanted) if wanted else {}
        r = _Rendering(viewer)
        written = {}
        for key, item in missing.items():
            if details is not None and not item.placeholder:
                more = found.get(item.comment.id)
                if more is None:
                    # Gone since the thread was read (an admin's delete): not shown.
                    written[key] = b""
                    continue
                item = item._replace(comment=with_details(item.comment, more))
            written[key] = _item_html(item, r).encode()
        with self._lock:
            self._items.update(written)
            while len(self._items) > self.MAX_ITEMS:
                del self._items[next(iter(self._items))]
        return written

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


shared_items = _SharedItems()


def thread_page(
    page: ThreadPage,
    viewer: Viewer,
    *,
    page_path: str,
    forms: Mapping[int, str] | None = None,
) -> str:
    """A page of threads as the <li>s of the thread list, with the "show more"
    item when there is a next page: the page's list and the htmx fragment alike."""
    html = comment_items(page.items, viewer, forms) if page.items else _no_comments(viewer)
    return html + _show_more(page, page_path)


def shared_thread_page(
    page: ThreadPage, viewer: Viewer, *, page_path: str, details: DetailLoader | None = None
) -> list[bytes]:
    """`thread_page` for a shared viewer (`user_id` None, no form opened), as
    pieces of UTF-8 to join, from the remembered <li> of each comment
    (`_SharedItems`). `details`: where to read the details of a bare page's items
    (comments.selectors)."""
    if viewer.user_id is not None:
        raise ValueError("a shared rendering is for a viewer without an id")
    if not page.items:
        return [(_no_comments(viewer) + _show_more(page, page_path)).encode()]
    return shared_items.html(page.items, viewer, details, _show_more(page, page_path).encode())


def _no_comments(viewer: Viewer) -> str:
    text = _("No comments yet.")
    if viewer.comments_open:
        text += " " + _("Start the discussion.")
    return f'<li class="no-comments">{escape(text)}</li>\n'


def _show_more(page: ThreadPage, page_path: str) -> str:
    if not page.next_cursor:
        return ""
    query = f"?sort={page.sort}&amp;after={escape(page.next_cursor)}"
    path = escape(page_path)
    return (
        f'<li class="more"><a class="btn btn-outline-dark" href="{path}{query}#comments"'
        f' data-hx-get="{path}{query}&amp;fragment=thread-page" data-hx-target="closest li"'
        f' data-hx-swap="outerHTML">{escape(_("Show more comments"))}</a></li>\n'
    )
