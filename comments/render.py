"""The comment list as HTML, written in Python.

The article page shows hundreds of comments and the whole-thread page thousands;
a Django template loop cost about 0.4 ms a comment (url tags, partials, a CSRF
token each), this about a hundredth of that. The page, the "show more" fragment
and the recommend toggle all come from these functions, so they cannot drift.

Everything that varies by reader is an argument of `Viewer`; the HTML depends on
nothing else, which is what lets comments/threadcache.py share it.
Comment bodies are `body_html`, already escaped and linkified when stored
(comments.text.render_body); everything else is escaped here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

from comments import access
from comments.access import Act
from comments.selectors import ThreadItem, ThreadPage
from core.dates import time_element

# Stands for the reader's CSRF input in HTML that is cached for many readers;
# the view puts the request's own token in its place on the way out.
CSRF_SENTINEL = "<!--csrf-input-->"


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
        login = reverse("account_login")
        self.login_next = f"{login}?next={quote(self.comments, safe='/')}"


def recommend_form(
    *, comment_id: int, count: int, recommended: bool, csrf_input: str, error: str = ""
) -> str:
    url = f"{_Urls().comments}{comment_id}/recommend/"
    return _recommend(url, count, recommended, csrf_input, error)


def _recommend(url: str, count: int, on: bool, csrf_input: str, error: str = "") -> str:
    n = ""
    if count:
        plural = "" if count == 1 else "s"
        n = f' <span class="recommend-n" aria-label="{count} recommendation{plural}">{count}</span>'
    err = f'<span class="field-error" role="alert">{escape(error)}</span>' if error else ""
    return (
        f'<form method="post" action="{url}" class="recommend-form" hx-post="{url}"'
        f' hx-swap="outerHTML">{csrf_input}<button type="submit" class="recommend'
        f'{" is-on" if on else ""}" aria-pressed="{"true" if on else "false"}">'
        f"{'Recommended' if on else 'Recommend'}{n}</button>{err}</form>"
    )


def comment_items(
    items: Iterable[ThreadItem], viewer: Viewer, forms: Mapping[int, str] | None = None
) -> str:
    """The <li> of each item. `forms` maps a comment id to an action form rendered
    in its slot (the no-JavaScript reply, edit, delete or report form)."""
    urls = _Urls()
    base = urls.comments
    login_next = urls.login_next
    tz = timezone.get_current_timezone()
    uid = viewer.user_id
    signed_in = viewer.signed_in
    comments_open = viewer.comments_open
    # No cutoff (a rendering shared by many readers): nobody's comment is editable.
    cutoff = viewer.edit_cutoff or datetime.max.replace(tzinfo=UTC)
    csrf = viewer.csrf_input
    acts_of = access.acts
    # A signed-in reader rendered without an id (the shared rendering) acts as a
    # reader who wrote none of these comments: no comment has the id 0.
    reader = (uid if uid is not None else 0) if signed_in else None
    forms = forms or {}
    names: dict[int, str] = {}
    out: list[str] = []
    add = out.append
    for item in items:
        c = item.comment
        pk = c.pk
        classes = f"comment depth-{item.display_depth}"
        if item.own_pending:
            classes += " is-pending"
        if item.placeholder:
            add(
                f'<li id="c{pk}" class="{classes} is-placeholder">'
                f'<p class="placeholder-text">{escape(item.placeholder)}</p></li>\n'
            )
            continue
        name = names.get(c.author_id)
        if name is None:
            name = names[c.author_id] = escape(c.author.display_name)
        url = f"{base}{pk}/"
        acts = acts_of(
            viewer_id=reader,
            author_id=c.author_id,
            status=c.status,
            created_at=c.created_at,
            comments_open=comments_open,
            cutoff=cutoff,
        )
        head = (
            f'<header class="comment-head"><span class="comment-author">{name}</span> '
            f'<a class="comment-time" href="{url}" title="Link to this comment">'
            f"{time_element(c.created_at, tz)}</a>"
        )
        if c.edited_at:
            head += ' <span class="edited">edited</span>'
        if item.own_pending:
            head += ' <span class="badge-pending">Awaiting moderation</span>'
        head += "</header>"
        if item.replying_to:
            head += f'<p class="replying-to">@{escape(item.replying_to)}</p>'
        actions = []
        count = c.recommend_count
        # Recommend and Report are drawn for every signed-in reader: the shared
        # rendering cannot know who is unconfirmed or sanctioned, and using either
        # says why (comments.access.acts).
        if Act.RECOMMEND in acts:
            actions.append(_recommend(f"{url}recommend/", count, item.recommended, csrf))
        elif count:
            actions.append(
                f'<span class="recommend-count">{count} recommend{"s" if count == 1 else ""}</span>'
            )
        if Act.REPLY in acts:
            actions.append(
                f'<a class="action" href="{url}?open=reply" hx-get="{url}form/reply/"'
                f' hx-target="#slot-{pk}" aria-label="Reply to {name}">Reply</a>'
            )
        elif not signed_in and Act.REPLY in access.open_after_sign_in(
            status=c.status, comments_open=comments_open
        ):
            actions.append(
                f'<a class="action" href="{login_next}{pk}/%3Fopen%3Dreply">Sign in to reply</a>'
            )
        if Act.EDIT in acts:
            actions.append(
                f'<a class="action" href="{url}?open=edit" hx-get="{url}form/edit/"'
                f' hx-target="#slot-{pk}">Edit</a>'
            )
        if Act.DELETE in acts:
            actions.append(
                f'<a class="action" href="{url}?open=delete" hx-get="{url}form/delete/"'
                f' hx-target="#slot-{pk}">Delete</a>'
            )
        if Act.REPORT in acts:
            actions.append(
                f'<a class="action action-quiet" href="{url}?open=report"'
                f' hx-get="{url}form/report/" hx-target="#slot-{pk}">Report</a>'
            )
        add(
            f'<li id="c{pk}" class="{classes}">{head}'
            f'<div class="comment-body" dir="auto">{c.body_html}</div>'
            f'<footer class="comment-actions">{" ".join(actions)}</footer>'
            f'<div class="comment-slot" id="slot-{pk}">{forms.get(pk, "")}</div></li>\n'
        )
    return "".join(out)


def thread_page(
    page: ThreadPage,
    viewer: Viewer,
    *,
    page_path: str,
    forms: Mapping[int, str] | None = None,
) -> str:
    """A page of threads as the <li>s of the thread list, with the "show more"
    item when there is a next page: the page's list and the htmx fragment alike."""
    if page.items:
        html = comment_items(page.items, viewer, forms)
    else:
        start = " Start the discussion." if viewer.comments_open else ""
        html = f'<li class="no-comments">No comments yet.{start}</li>\n'
    if page.next_cursor:
        query = f"?sort={page.sort}&amp;after={escape(page.next_cursor)}"
        path = escape(page_path)
        html += (
            f'<li class="more"><a class="btn btn-outline-dark" href="{path}{query}#comments"'
            f' hx-get="{path}{query}&amp;fragment=thread-page" hx-target="closest li"'
            ' hx-swap="outerHTML">Show more comments</a></li>\n'
        )
    return html
