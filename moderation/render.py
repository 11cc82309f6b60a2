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

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.timesince import timesince

from articles.selectors import PersonOption
from comments.models import CommentStatus
from core.dates import newsdate
from core.dates import time_element as timestamp
from core.languages import lang_attrs
from core.script import isolate
from moderation.people_rules import EXPLAIN
from moderation.rules import SELF_EXPLAINED
from moderation.selectors import LabelledHit, QueueItem

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
        self.add_spelling = _pattern("moderation:people_variant_add")
        self.model_version = _pattern("moderation:model_version")
        self.history = _pattern("moderation:comment_history")


def _decision_form(url: str, version: int, hidden: str, body: str, css: str = "") -> str:
    """A decision's form; `hidden` carries the CSRF token, the page to return to and
    anything else the decision must know (the newest report shown, for a dismissal)."""
    cls = f' class="{css}"' if css else ""
    return (
        f'<form method="post" action="{url}" data-hx-post="{url}"'
        f' data-hx-target="closest .queue-item" data-hx-swap="outerHTML"{cls}>{hidden}'
        f'<input type="hidden" name="version" value="{version}">{body}</form>'
    )


def queue_items(
    items: Iterable[QueueItem],
    *,
    csrf_input: str,
    next_url: str,
    reason_options: str,
    people: Mapping[int, Sequence[PersonOption]] | None = None,
) -> str:
    """The <li> of each item from selectors.queue_page. `people`: the people listed
    for each article (articles.selectors.people_options), for the add-a-spelling form."""
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
            f' href="{author_url}"{lang_attrs(author.display_name_lang)}>{name}</a>'
            ' <span class="queue-on">on</span> <a'
            f' href="{urls.article.format(article.slug)}"{lang_attrs(article.title_lang)}>'
            f"{escape(article.title)}</a></h2>"
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
        if item.decided is not None:
            parts.append(
                f'<p class="queue-decided">{escape(item.decided.label)} by'
                f" <strong>{escape(item.decided.by)}</strong>, {timestamp(item.decided.at)}</p>"
            )
        parent = c.parent
        if parent is not None:
            parts.append(
                '<blockquote class="queue-parent"><span class="queue-parent-label">'
                f"Replying to <bdi>{escape(parent.author.display_name)}</bdi>:</span>"
                f" <span{lang_attrs(parent.body_lang)}>"
                f"{isolate(escape(Truncator(parent.body).words(45)))}</span></blockquote>"
            )
        # The text's own language and direction (core.languages); its numbers and
        # @names isolated by selectors.highlight_body.
        parts.append(
            f'<div class="comment-body queue-body"{lang_attrs(c.body_lang)}>'
            f"{item.highlighted}</div>"
        )
        if item.revisions:
            parts.append(_revisions(item, urls))
        parts.append(_why(item, urls))
        listed = (people or {}).get(c.article_id)
        if listed:
            parts.append(_add_spelling(item, listed, urls, hidden))
        parts.append(_decisions(item, urls, hidden, reason_options, author_url))
        parts.append(_record(item, name, author_url))
        out.append("".join(parts))
    return "".join(out)


def _revisions(item: QueueItem, urls: _Urls) -> str:
    """The latest edit as a diff (what went struck through, what came underlined),
    flagged when it came while reports were open, with a link to every version."""
    latest = item.revisions[-1]
    n = len(item.revisions) + 1
    flag = '<span class="edit-flag">Edited after report</span> ' if latest.after_report else ""
    return (
        f'<details class="queue-revisions" open><summary>{flag}Changes in the latest edit,'
        f" {newsdate(latest.replaced_at)}</summary>"
        f'<div class="revision-diff" dir="auto">{latest.diff}</div>'
        f'<p class="small mb-1"><a href="{urls.history.format(item.comment.pk)}">Every'
        f" version ({n}) and the comment’s history</a></p></details>"
    )


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
                f" <strong>{escape(hit.label)}</strong>"
            )
            if hit.match:
                line += f': <mark dir="auto">{isolate(escape(hit.match))}</mark>'
            if hit.sentence:
                line += f' <span class="hit-sentence">{escape(hit.sentence)}</span>'
            if hit.detail and hit.detail != hit.label and hit.code not in SELF_EXPLAINED:
                line += f' <span class="text-muted">({escape(hit.detail)})</span>'
            line += _people_hit(hit)
            line += _model_hit(hit, urls)
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


# ---------------------------------------------------------------- people in the story

_HIT_ROLE = {"people.protected": "protected", "people.accused": "accused"}


def _people_hit(hit: LabelledHit) -> str:
    """The person's role and the rule in plain words, for the people rules' hits."""
    explain = EXPLAIN.get(hit.code)
    if not explain:
        return ""
    role = _HIT_ROLE.get(hit.code)
    badge = f' <span class="hit-role">role: {role}</span>' if role else ""
    return f'{badge}<p class="hit-explain small text-muted mb-1">{escape(explain)}</p>'


def _add_spelling(item: QueueItem, listed: Sequence[PersonOption], urls: _Urls, hidden: str) -> str:
    """A small form to add a spelling of a person listed for the item's article:
    open when the item was held for a person, folded away otherwise."""
    pk = item.comment.pk
    url = urls.add_spelling.format(pk)
    about_people = any(hit.code in _HIT_ROLE for hit in item.hits)
    options = "".join(
        f'<option value="{p.id}">{escape(p.name)} ({escape(p.role.replace("_", " "))})</option>'
        for p in listed
    )
    return (
        f'<details class="queue-people small mb-2"{" open" if about_people else ""}><summary>'
        f"People in this story ({len(listed)} listed)</summary>"
        f'<form method="post" action="{url}" class="queue-spelling d-flex flex-wrap'
        f' align-items-center gap-2 mt-1">{hidden}'
        f'<label for="sp-person-{pk}">Add a spelling of</label>'
        f'<select name="person" id="sp-person-{pk}" class="form-select form-select-sm w-auto">'
        f"{options}</select>"
        f'<label for="sp-text-{pk}" class="visually-hidden">Spelling as written in this'
        f' comment</label><input type="text" name="text" id="sp-text-{pk}"'
        ' class="form-control form-control-sm w-auto" maxlength="120" dir="auto" required'
        ' placeholder="Spelling as written here">'
        '<button type="submit" class="btn btn-outline-dark btn-sm">Add spelling</button>'
        "</form></details>"
    )


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
        seen = max(r.pk for r in item.open_reports)
        parts.append(
            _decision_form(
                urls.dismiss.format(pk), version,
                f'{hidden}<input type="hidden" name="reports_seen" value="{seen}">',
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
        f' class="author-record-name"><a href="{author_url}"'
        f"{lang_attrs(c.author.display_name_lang)}>{name}</a></p><dl>"
        f"<dt>Joined</dt><dd>{timesince(c.author.date_joined)} ago</dd>"
        f"<dt>Comments</dt><dd>{record.comments}</dd>"
        f"<dt>Approved</dt><dd>{record.approved}</dd>"
        f"<dt>Rejected or removed</dt><dd>{record.rejected}</dd>"
        f"<dt>Reports received</dt><dd>{record.reports}</dd>"
        f"<dt>Sanctions</dt><dd>{record.sanctions}{active}</dd></dl></aside></li>"
    )


# ---------------------------------------------------------------- the moderation model


def _model_hit(hit: LabelledHit, urls: _Urls) -> str:
    """For the moderation model's hit: its score against the threshold as a meter,
    and the version that gave it (its evaluation page)."""
    if hit.score is None:
        return ""
    threshold = hit.threshold if hit.threshold is not None else 0.5
    meter = (
        f' <meter class="model-meter" min="0" max="1" optimum="0" high="{threshold:.2f}"'
        f' value="{hit.score:.2f}" title="score {hit.score:.2f}, threshold'
        f' {threshold:.2f}">{hit.score:.2f}</meter>'
    )
    if hit.version is None:
        return meter
    return f'{meter} <a href="{urls.model_version.format(hit.version)}">version {hit.version}</a>'


def pr_curve_svg(
    curve: Sequence[tuple[float, float, float]],
    *,
    at: tuple[float, float] | None,
    threshold: float,
) -> str:
    """The precision-recall curve of a version on its held-out decisions, as an SVG
    drawn here (no plotting library; the site's CSP allows no inline style, so every
    colour and line comes from site.css classes). `curve` is (threshold, precision,
    recall) points; `at` the (precision, recall) at the threshold in force."""
    left, right, top, bottom = 56, 388, 16, 244
    width, height = right - left, bottom - top

    def x(recall: float) -> float:
        return left + recall * width

    def y(precision: float) -> float:
        return bottom - precision * height

    parts = [
        '<svg class="pr-curve" viewBox="0 0 400 290" role="img" aria-labelledby="pr-title'
        ' pr-desc" xmlns="http://www.w3.org/2000/svg"><title id="pr-title">Precision and'
        " recall at every threshold</title>"
    ]
    desc = "Each point is a threshold: to the right, more of the rejected comments are caught;"
    desc += " higher up, more of the held comments were rightly held."
    if at is not None:
        desc += (
            f" At the threshold in force, {threshold:.2f}: precision {at[0]:.0%},"
            f" recall {at[1]:.0%}."
        )
    parts.append(f'<desc id="pr-desc">{escape(desc)}</desc>')
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(
            f'<line class="pr-grid" x1="{left}" x2="{right}" y1="{y(tick):.1f}"'
            f' y2="{y(tick):.1f}"/><line class="pr-grid" x1="{x(tick):.1f}"'
            f' x2="{x(tick):.1f}" y1="{top}" y2="{bottom}"/>'
            f'<text class="pr-tick" x="{left - 6}" y="{y(tick) + 4:.1f}"'
            f' text-anchor="end">{tick:g}</text><text class="pr-tick" x="{x(tick):.1f}"'
            f' y="{bottom + 16}" text-anchor="middle">{tick:g}</text>'
        )
    parts.append(
        f'<line class="pr-axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        f'<line class="pr-axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>'
        f'<text class="pr-label" x="{(left + right) / 2:.0f}" y="{bottom + 36}"'
        ' text-anchor="middle">Recall: share of rejected comments it would hold</text>'
        f'<text class="pr-label" transform="translate(14 {(top + bottom) / 2:.0f})'
        ' rotate(-90)" text-anchor="middle">Precision: share of held ones rejected</text>'
    )
    ordered = sorted(curve, key=lambda point: (point[2], -point[1]))
    if ordered:
        points = " ".join(f"{x(r):.1f},{y(p):.1f}" for _t, p, r in ordered)
        parts.append(f'<polyline class="pr-line" points="{points}"/>')
    if at is not None:
        parts.append(
            f'<circle class="pr-point" cx="{x(at[1]):.1f}" cy="{y(at[0]):.1f}" r="5"/>'
            f'<text class="pr-point-label" x="{x(at[1]) + (-8 if at[1] > 0.7 else 8):.1f}"'
            f' y="{y(at[0]) + (18 if at[0] > 0.85 else -8):.1f}"'
            f' text-anchor="{"end" if at[1] > 0.7 else "start"}">threshold'
            f" {threshold:.2f}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
