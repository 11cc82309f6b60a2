"""Queue items as HTML, written in Python.

A queue page shows 25 items, each with its context, the screening hits, the open
reports, up to two decision forms and the author's record. As a template partial
that was about 0.8 ms an item, over half the page's time; this is a small fraction
of that (the approach comments/render.py takes for the comment list). The markup
is what moderation.js and the tests look for: keep them in step.

Every value that comes from a person or the database is escaped here, except
`highlighted`, which selectors.highlight_body builds from escaped text.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.timesince import timesince

from comments.models import CommentStatus
from core.dates import newsdate
from core.dates import time_element as timestamp
from moderation.selectors import QueueItem

_SENTINEL = 987654321
_PENDING = CommentStatus.PENDING.value
_PUBLISHED = CommentStatus.PUBLISHED.value
_CLOSED = {CommentStatus.REJECTED.value, CommentStatus.REMOVED.value}


def _pattern(name: str, sample: int | str = _SENTINEL) -> str:
    """A URL with `{}` where the id (or slug) goes: reversed once per page, not per
    item. `sample` is a value the URL's converter accepts and nothing else contains."""
    return reverse(name, args=[sample]).replace(str(sample), "{}")


class _Urls:
    def __init__(self) -> None:
        self.queue = reverse("moderation:queue")
        self.user = _pattern("moderation:user")
        self.approve = _pattern("moderation:approve")
        self.reject = _pattern("moderation:reject")
        self.remove = _pattern("moderation:remove")
        self.restore = _pattern("moderation:restore")
        self.dismiss = _pattern("moderation:dismiss")
        self.permalink = _pattern("comments:permalink")
        self.article = _pattern("article", "slug-marker-x")


def _decision_form(url: str, version: int, hidden: str, body: str, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return (
        f'<form method="post" action="{url}" hx-post="{url}" hx-target="closest .queue-item"'
        f' hx-swap="outerHTML"{cls}>{hidden}<input type="hidden" name="version"'
        f' value="{version}">{body}</form>'
    )


def queue_items(
    items: Iterable[QueueItem], *, csrf_input: str, next_url: str, reason_options: str
) -> str:
    """The <li> of each item from selectors.queue_page."""
    urls = _Urls()
    next_input = f'<input type="hidden" name="next" value="{escape(next_url)}">'
    hidden = csrf_input + next_input
    out: list[str] = []
    for item in items:
        c = item.comment
        pk = c.pk
        status = c.status
        author = c.author
        name = escape(author.display_name)
        author_url = urls.user.format(c.author_id)
        article = c.article
        parts = [
            f'<li class="queue-item queue-status-{status}" id="q{pk}" tabindex="-1"'
            f' data-queue-item aria-labelledby="q{pk}-title"><div class="queue-item-main">'
            '<div class="queue-item-head"><input type="checkbox" class="form-check-input'
            f' queue-select" form="bulk-form" name="items" value="{pk}:{c.version}"'
            f' id="sel-{pk}"><label for="sel-{pk}" class="visually-hidden">Select the comment'
            f' by {name}</label><h2 class="queue-item-title" id="q{pk}-title"><a'
            f' href="{author_url}">{name}</a> <span class="queue-on">on</span> <a'
            f' href="{urls.article.format(article.slug)}">{escape(article.title)}</a></h2>'
            f'<span class="status-badge status-badge-{status}">'
            f"{escape(c.get_status_display())}</span></div>",
        ]
        meta = timestamp(c.created_at)
        if c.edited_at:
            meta += f" · edited {timestamp(c.edited_at)}"
        meta += (
            f" · {escape(article.section.name)} · <a"
            f' href="{urls.queue}?tab=all&amp;article={c.article_id}">this article’s'
            " comments</a>"
        )
        if status == _PUBLISHED:
            meta += f' · <a href="{urls.permalink.format(pk)}">permalink</a>'
        parts.append(f'<p class="queue-meta">{meta}</p>')
        parent = c.parent
        if parent is not None:
            parts.append(
                '<blockquote class="queue-parent" dir="auto"><span class="queue-parent-label">'
                f"Replying to {escape(parent.author.display_name)}:</span>"
                f" {escape(Truncator(parent.body).words(45))}</blockquote>"
            )
        parts.append(f'<div class="comment-body queue-body" dir="auto">{item.highlighted}</div>')
        parts.append(_why(item, urls))
        parts.append(_decisions(item, urls, hidden, reason_options, author_url))
        parts.append(_record(item, name, author_url))
        out.append("".join(parts))
    return "".join(out)


def _why(item: QueueItem, urls: _Urls) -> str:
    c, reports = item.comment, item.open_reports
    if not (item.hits or reports or c.reason_category):
        return ""
    parts = ['<div class="queue-why">']
    if item.hits:
        parts.append('<p class="queue-why-head">Screening</p><ul class="hold-reasons">')
        for hit in item.hits:
            action = escape(hit.action)
            line = (
                f'<li><span class="rule-action rule-action-{action}">{action}</span>'
                f" {escape(hit.label)} <code>{escape(hit.code)}</code>"
            )
            if hit.match:
                line += f': <mark dir="auto">{escape(hit.match)}</mark>'
            if hit.detail and hit.detail != hit.label:
                line += f' <span class="text-muted">({escape(hit.detail)})</span>'
            parts.append(line + "</li>")
        parts.append("</ul>")
    if reports:
        n = len(reports)
        threshold = settings.REPORT_HIDE_THRESHOLD
        parts.append(
            f'<p class="queue-why-head">{n} open report{"" if n == 1 else "s"}, weighing'
            f" {weight_text(item.open_weight)} together</p>"
            f'<p class="report-weight-note">Reports weighing {threshold} hide a published'
            " comment until a moderator decides. A report weighs its reader’s standing: 0"
            " from an account in its first week, 1 from a reader of a month or more; more"
            " for each earlier report a moderator upheld, less for each one dismissed.</p>"
            '<ul class="report-list">'
        )
        for r in reports:
            line = (
                f"<li><strong>{escape(r.get_reason_display())}</strong> from <a"
                f' href="{urls.user.format(r.reporter_id)}">{escape(r.reporter.display_name)}'
                f'</a>, {newsdate(r.created_at)}, <span class="report-weight">weight'
                f" {weight_text(r.weight)}</span>"
            )
            if r.note:
                line += f': <q dir="auto">{escape(r.note)}</q>'
            parts.append(line + "</li>")
        parts.append("</ul>")
    if c.reason_category:
        line = (
            '<p class="queue-decided-reason">Reason given: <strong>'
            f"{escape(c.get_reason_category_display())}</strong>"
        )
        if c.note_to_author:
            line += f" — “{escape(c.note_to_author)}”"
        parts.append(line + "</p>")
    parts.append("</div>")
    return "".join(parts)


def weight_text(weight: Decimal) -> str:
    """A report's weight as people write numbers: 1, 0.5, 0.25, 10."""
    return format(weight.normalize(), "f")


def _decisions(
    item: QueueItem, urls: _Urls, hidden: str, reason_options: str, author_url: str
) -> str:
    c = item.comment
    pk, status, version = c.pk, c.status, c.version
    parts = ['<div class="decisions">']
    if status == _PENDING:
        parts.append(
            _decision_form(
                urls.approve.format(pk), version, hidden,
                '<button type="submit" class="btn btn-success btn-sm" data-key="a">'
                "Approve</button>",
            )
        )  # fmt: skip
    elif status == _PUBLISHED and item.open_reports:
        parts.append(
            _decision_form(
                urls.dismiss.format(pk), version, hidden,
                '<button type="submit" class="btn btn-success btn-sm" data-key="a">'
                "Keep, dismiss reports</button>",
            )
        )  # fmt: skip
    elif status in _CLOSED:
        parts.append(
            _decision_form(
                urls.restore.format(pk), version, hidden,
                '<button type="submit" class="btn btn-outline-success btn-sm" data-key="a">'
                "Restore</button>",
            )
        )  # fmt: skip
    if status in (_PENDING, _PUBLISHED):
        pending = status == _PENDING
        url = (urls.reject if pending else urls.remove).format(pk)
        parts.append(
            _decision_form(
                url, version, hidden,
                f'<label class="visually-hidden" for="reason-{pk}">Reason</label>'
                f'<select name="reason" id="reason-{pk}" class="form-select form-select-sm"'
                ' required data-key="r"><option value="">Choose a reason</option>'
                f"{reason_options}</select>"
                f'<label class="visually-hidden" for="note-{pk}">Note to the author'
                f' (optional)</label><input type="text" name="note" id="note-{pk}"'
                ' class="form-control form-control-sm" maxlength="1000"'
                ' placeholder="Note to the author (optional)" dir="auto">'
                '<button type="submit" class="btn btn-outline-danger btn-sm">'
                f"{'Reject' if pending else 'Remove'}</button>",
                css="reject-form",
            )
        )  # fmt: skip
    parts.append(
        f'<a class="btn btn-link btn-sm" href="{author_url}#sanction" data-key="b">'
        "Sanction author</a></div></div>"
    )
    return "".join(parts)


def _record(item: QueueItem, name: str, author_url: str) -> str:
    c, record = item.comment, item.record
    active = ""
    if record.active_sanctions:
        active = (
            f' <span class="sanction-active">({escape(", ".join(record.active_sanctions))}'
            " in force)</span>"
        )
    return (
        f'<aside class="author-record" aria-label="Record of {name}"><p'
        f' class="author-record-name"><a href="{author_url}">{name}</a></p><dl>'
        f"<dt>Joined</dt><dd>{timesince(c.author.date_joined)} ago</dd>"
        f"<dt>Comments</dt><dd>{record.comments}</dd>"
        f"<dt>Approved</dt><dd>{record.approved}</dd>"
        f"<dt>Rejected or removed</dt><dd>{record.rejected}</dd>"
        f"<dt>Reports received</dt><dd>{record.reports}</dd>"
        f"<dt>Sanctions</dt><dd>{record.sanctions}{active}</dd></dl></aside></li>"
    )
