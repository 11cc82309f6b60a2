"""Queue items as HTML, written in Python.

A queue page shows 25 items, each with its context, the screening hits, the open
reports, up to two decision forms and the author's record. As a template partial
that was about 0.8 ms an item, over half the page's time; this is a small fraction
of that (the approach comments/render.py takes for the comment list). The markup
is what moderation.js and the tests look for: keep them in step.

Every value that comes from a person or the database is escaped here, except
`highlighted`, which selectors.highlight_body builds from escaped text.

Every word of the interface is translated once per rendering (`_Labels`, built by
`queue_items` in the active language), never once per item: a page of 25 items
would otherwise make a few hundred catalogue lookups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from articles.selectors import PersonOption
from comments.models import CommentStatus, ReasonCategory
from core.dates import newsdate
from core.dates import time_element as timestamp
from core.languages import lang_attrs
from core.script import isolate
from moderation.rules import SELF_EXPLAINED
from moderation.selectors import (
    LabelledHit,
    QueueItem,
    hit_words,
    people_explanations,
    role_words,
)

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


class _Labels:
    """The interface's words for one rendering, in the active language, translated
    once (and escaped once: translations are text, like everything else here)."""

    def __init__(self) -> None:
        e = escape
        self.select_by = e(_("Select the comment by %(name)s"))
        self.on = e(pgettext("a comment on an article", "on"))  # "<name> on <title>"
        self.statuses = {value: e(str(label)) for value, label in CommentStatus.choices}
        self.reasons = {value: e(str(label)) for value, label in ReasonCategory.choices}
        self.edited = e(_("edited %(time)s"))
        self.article_comments = e(_("this article’s comments"))
        self.permalink = e(_("permalink"))
        self.decided_by = e(_("%(decision)s by %(name)s, %(time)s"))
        self.replying_to = e(_("Replying to %(name)s:"))
        self.edited_after_report = e(_("Edited after report"))
        self.latest_edit = e(_("Changes in the latest edit, %(date)s"))
        self.every_version = e(_("Every version (%(count)s) and the comment’s history"))
        self.screening = e(_("Screening"))
        self.actions = {code: e(word) for code, word in hit_words().actions.items()}
        self.weight_note = e(
            _(
                "Reports weighing %(threshold)s hide a published comment until a moderator"
                " decides. A report weighs its reader’s standing: 0 from an account in its"
                " first week, 1 from a reader of a month or more; more for each earlier"
                " report a moderator upheld, less for each one dismissed."
            )
        ) % {"threshold": settings.REPORT_HIDE_THRESHOLD}
        self.report_from = e(_("%(reason)s from %(name)s"))
        self.weight = e(_("weight %(weight)s"))
        self.reason_given = e(_("Reason given:"))
        self.role = e(_("role: %(role)s"))
        self.roles = {key: e(str(word)) for key, word in role_words().items()}
        self.explain = {code: e(str(text)) for code, text in people_explanations().items()}
        self.add_spelling_of = e(_("Add a spelling of"))
        self.spelling_label = e(_("Spelling as written in this comment"))
        self.spelling_placeholder = e(_("Spelling as written here"))
        self.add_spelling = e(_("Add spelling"))
        self.approve = e(_("Approve"))
        self.keep = e(_("Keep, dismiss reports"))
        self.restore = e(_("Restore"))
        self.reason = e(_("Reason"))
        self.choose_reason = e(_("Choose a reason"))
        self.note_to_author = e(_("Note to the author (optional)"))
        self.reject = e(_("Reject"))
        self.remove = e(_("Remove"))
        self.sanction_author = e(_("Sanction author"))
        self.in_force = e(_("(%(sanctions)s in force)"))
        self.record_of = e(_("Record of %(name)s"))
        self.joined = e(_("Joined"))
        self.ago = e(_("%(time)s ago"))
        self.comments = e(_("Comments"))
        self.approved = e(_("Approved"))
        self.rejected = e(_("Rejected or removed"))
        self.reports_received = e(_("Reports received"))
        self.sanctions = e(_("Sanctions"))
        self.score_title = e(_("score %(score)s, threshold %(threshold)s"))
        self.version = e(_("version %(version)s"))
        self._open_reports: dict[int, str] = {}
        self._people: dict[int, str] = {}

    def open_reports(self, n: int, weight: str) -> str:
        """ "2 open reports, weighing 1.5 together": one lookup per count, not per item."""
        if n not in self._open_reports:
            self._open_reports[n] = escape(
                ngettext(
                    "%(count)s open report, weighing %(weight)s together",
                    "%(count)s open reports, weighing %(weight)s together",
                    n,
                )
            )
        return self._open_reports[n] % {"count": n, "weight": weight}

    def people_listed(self, n: int) -> str:
        if n not in self._people:
            self._people[n] = escape(
                ngettext(
                    "People in this story (%(count)s listed)",
                    "People in this story (%(count)s listed)",
                    n,
                )
            )
        return self._people[n] % {"count": n}


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
    labels = _Labels()
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
            f' id="sel-{pk}"><label for="sel-{pk}" class="visually-hidden">'
            f"{labels.select_by % {'name': name}}"
            f'</label><h2 class="queue-item-title" id="q{pk}-title"><a'
            f' href="{author_url}"{lang_attrs(author.display_name_lang)}>{name}</a>'
            f' <span class="queue-on">{labels.on}</span> <a'
            f' href="{urls.article.format(article.slug)}"{lang_attrs(article.title_lang)}>'
            f"{escape(article.title)}</a></h2>"
            f'<span class="status-badge status-badge-{status}">'
            f"{labels.statuses.get(status) or escape(status)}</span></div>",
        ]
        meta = timestamp(c.created_at)
        if c.edited_at:
            meta += " · " + labels.edited % {"time": timestamp(c.edited_at)}
        meta += (
            f" · {escape(article.section.name)} · <a"
            f' href="{urls.queue}?tab=all&amp;article={c.article_id}">'
            f"{labels.article_comments}</a>"
        )
        if status == _PUBLISHED:
            meta += f' · <a href="{urls.permalink.format(pk)}">{labels.permalink}</a>'
        parts.append(f'<p class="queue-meta">{meta}</p>')
        if item.decided is not None:
            decided = labels.decided_by % {
                "decision": escape(item.decided.label),
                "name": f"<strong>{escape(item.decided.by)}</strong>",
                "time": timestamp(item.decided.at),
            }
            parts.append(f'<p class="queue-decided">{decided}</p>')
        parent = c.parent
        if parent is not None:
            parts.append(
                '<blockquote class="queue-parent"><span class="queue-parent-label">'
                + labels.replying_to % {"name": f"<bdi>{escape(parent.author.display_name)}</bdi>"}
                + "</span>"
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
            parts.append(_revisions(item, urls, labels))
        parts.append(_why(item, urls, labels))
        listed = (people or {}).get(c.article_id)
        if listed:
            parts.append(_add_spelling(item, listed, urls, hidden, labels))
        parts.append(_decisions(item, urls, hidden, reason_options, author_url, labels))
        parts.append(_record(item, name, author_url, labels))
        out.append("".join(parts))
    return "".join(out)


def _revisions(item: QueueItem, urls: _Urls, labels: _Labels) -> str:
    """The latest edit as a diff (what went struck through, what came underlined),
    flagged when it came while reports were open, with a link to every version."""
    latest = item.revisions[-1]
    n = len(item.revisions) + 1
    flag = (
        f'<span class="edit-flag">{labels.edited_after_report}</span> '
        if latest.after_report
        else ""
    )
    return (
        f'<details class="queue-revisions" open><summary>{flag}'
        f"{labels.latest_edit % {'date': newsdate(latest.replaced_at)}}</summary>"
        f'<div class="revision-diff" dir="auto">{latest.diff}</div>'
        f'<p class="small mb-1"><a href="{urls.history.format(item.comment.pk)}">'
        f"{labels.every_version % {'count': n}}</a></p></details>"
    )


def _why(item: QueueItem, urls: _Urls, labels: _Labels) -> str:
    c, reports = item.comment, item.open_reports
    if not (item.hits or reports or c.reason_category):
        return ""
    parts = ['<div class="queue-why">']
    if item.hits:
        parts.append(f'<p class="queue-why-head">{labels.screening}</p><ul class="hold-reasons">')
        for hit in item.hits:
            action = escape(hit.action)
            line = (
                f'<li><span class="rule-action rule-action-{action}">'
                f"{labels.actions.get(hit.action, action)}</span>"
                f" <strong>{escape(hit.label)}</strong>"
            )
            if hit.match:
                line += f': <mark dir="auto">{isolate(escape(hit.match))}</mark>'
            if hit.sentence:
                line += f' <span class="hit-sentence">{escape(hit.sentence)}</span>'
            if hit.detail and hit.detail != hit.label and hit.code not in SELF_EXPLAINED:
                line += f' <span class="text-muted">({escape(hit.detail)})</span>'
            line += _people_hit(hit, labels)
            line += _model_hit(hit, urls, labels)
            parts.append(line + "</li>")
        parts.append("</ul>")
    if reports:
        parts.append(
            '<p class="queue-why-head">'
            f"{labels.open_reports(len(reports), weight_text(item.open_weight))}</p>"
            f'<p class="report-weight-note">{labels.weight_note}</p>'
            '<ul class="report-list">'
        )
        for r in reports:
            reason = labels.reasons.get(r.reason) or escape(r.reason)
            reporter = (
                f'<a href="{urls.user.format(r.reporter_id)}">{escape(r.reporter.display_name)}</a>'
            )
            line = (
                "<li>"
                + labels.report_from % {"reason": f"<strong>{reason}</strong>", "name": reporter}
                + f', {newsdate(r.created_at)}, <span class="report-weight">'
                + labels.weight % {"weight": weight_text(r.weight)}
                + "</span>"
            )
            if r.note:
                line += f': <q dir="auto">{escape(r.note)}</q>'
            parts.append(line + "</li>")
        parts.append("</ul>")
    if c.reason_category:
        line = (
            f'<p class="queue-decided-reason">{labels.reason_given} <strong>'
            f"{labels.reasons.get(c.reason_category) or escape(c.reason_category)}</strong>"
        )
        if c.note_to_author:
            line += f" — “{escape(c.note_to_author)}”"
        parts.append(line + "</p>")
    parts.append("</div>")
    return "".join(parts)


# ---------------------------------------------------------------- people in the story

_HIT_ROLE = {"people.protected": "protected", "people.accused": "accused"}


def _people_hit(hit: LabelledHit, labels: _Labels) -> str:
    """The person's role and the rule in plain words, for the people rules' hits."""
    explain = labels.explain.get(hit.code)
    if not explain:
        return ""
    role = _HIT_ROLE.get(hit.code)
    badge = (
        f' <span class="hit-role">{labels.role % {"role": labels.roles.get(role, role)}}</span>'
        if role
        else ""
    )
    return f'{badge}<p class="hit-explain small text-muted mb-1">{explain}</p>'


def _add_spelling(
    item: QueueItem, listed: Sequence[PersonOption], urls: _Urls, hidden: str, labels: _Labels
) -> str:
    """A small form to add a spelling of a person listed for the item's article:
    open when the item was held for a person, folded away otherwise."""
    pk = item.comment.pk
    url = urls.add_spelling.format(pk)
    about_people = any(hit.code in _HIT_ROLE for hit in item.hits)
    options = "".join(
        f'<option value="{p.id}">{escape(p.name)}'
        f" ({labels.roles.get(p.role) or escape(p.role.replace('_', ' '))})</option>"
        for p in listed
    )
    return (
        f'<details class="queue-people small mb-2"{" open" if about_people else ""}><summary>'
        f"{labels.people_listed(len(listed))}</summary>"
        f'<form method="post" action="{url}" class="queue-spelling d-flex flex-wrap'
        f' align-items-center gap-2 mt-1">{hidden}'
        f'<label for="sp-person-{pk}">{labels.add_spelling_of}</label>'
        f'<select name="person" id="sp-person-{pk}" class="form-select form-select-sm w-auto">'
        f"{options}</select>"
        f'<label for="sp-text-{pk}" class="visually-hidden">{labels.spelling_label}'
        f'</label><input type="text" name="text" id="sp-text-{pk}"'
        ' class="form-control form-control-sm w-auto" maxlength="120" dir="auto" required'
        f' placeholder="{labels.spelling_placeholder}">'
        f'<button type="submit" class="btn btn-outline-dark btn-sm">{labels.add_spelling}</button>'
        "</form></details>"
    )


def weight_text(weight: Decimal) -> str:
    """A report's weight as people write numbers: 1, 0.5, 0.25, 10."""
    return format(weight.normalize(), "f")


def _decisions(
    item: QueueItem,
    urls: _Urls,
    hidden: str,
    reason_options: str,
    author_url: str,
    labels: _Labels,
) -> str:
    c = item.comment
    pk, status, version = c.pk, c.status, c.version
    parts = ['<div class="decisions">']
    if status == _PENDING:
        parts.append(
            _decision_form(
                urls.approve.format(pk), version, hidden,
                '<button type="submit" class="btn btn-success btn-sm" data-key="a">'
                f"{labels.approve}</button>",
            )
        )  # fmt: skip
    elif status == _PUBLISHED and item.open_reports:
        seen = max(r.pk for r in item.open_reports)
        parts.append(
            _decision_form(
                urls.dismiss.format(pk), version,
                f'{hidden}<input type="hidden" name="reports_seen" value="{seen}">',
                '<button type="submit" class="btn btn-success btn-sm" data-key="a">'
                f"{labels.keep}</button>",
            )
        )  # fmt: skip
    elif status in _CLOSED:
        parts.append(
            _decision_form(
                urls.restore.format(pk), version, hidden,
                '<button type="submit" class="btn btn-outline-success btn-sm" data-key="a">'
                f"{labels.restore}</button>",
            )
        )  # fmt: skip
    if status in (_PENDING, _PUBLISHED):
        pending = status == _PENDING
        url = (urls.reject if pending else urls.remove).format(pk)
        parts.append(
            _decision_form(
                url, version, hidden,
                f'<label class="visually-hidden" for="reason-{pk}">{labels.reason}</label>'
                f'<select name="reason" id="reason-{pk}" class="form-select form-select-sm"'
                f' required data-key="r"><option value="">{labels.choose_reason}</option>'
                f"{reason_options}</select>"
                f'<label class="visually-hidden" for="note-{pk}">{labels.note_to_author}'
                f'</label><input type="text" name="note" id="note-{pk}"'
                ' class="form-control form-control-sm" maxlength="1000"'
                f' placeholder="{labels.note_to_author}" dir="auto">'
                '<button type="submit" class="btn btn-outline-danger btn-sm">'
                f"{labels.reject if pending else labels.remove}</button>",
                css="reject-form",
            )
        )  # fmt: skip
    parts.append(
        f'<a class="btn btn-link btn-sm" href="{author_url}#sanction" data-key="b">'
        f"{labels.sanction_author}</a></div></div>"
    )
    return "".join(parts)


def _record(item: QueueItem, name: str, author_url: str, labels: _Labels) -> str:
    c, record = item.comment, item.record
    active = ""
    if record.active_sanctions:
        active = (
            ' <span class="sanction-active">'
            f"{labels.in_force % {'sanctions': escape(', '.join(record.active_sanctions))}}"
            "</span>"
        )
    joined = labels.ago % {"time": escape(timesince(c.author.date_joined))}
    return (
        f'<aside class="author-record" aria-label="{labels.record_of % {"name": name}}"><p'
        f' class="author-record-name"><a href="{author_url}"'
        f"{lang_attrs(c.author.display_name_lang)}>{name}</a></p><dl>"
        f"<dt>{labels.joined}</dt><dd>{joined}</dd>"
        f"<dt>{labels.comments}</dt><dd>{record.comments}</dd>"
        f"<dt>{labels.approved}</dt><dd>{record.approved}</dd>"
        f"<dt>{labels.rejected}</dt><dd>{record.rejected}</dd>"
        f"<dt>{labels.reports_received}</dt><dd>{record.reports}</dd>"
        f"<dt>{labels.sanctions}</dt><dd>{record.sanctions}{active}</dd></dl></aside></li>"
    )


# ---------------------------------------------------------------- the moderation model


def _model_hit(hit: LabelledHit, urls: _Urls, labels: _Labels) -> str:
    """For the moderation model's hit: its score against the threshold as a meter,
    and the version that gave it (its evaluation page)."""
    if hit.score is None:
        return ""
    threshold = hit.threshold if hit.threshold is not None else 0.5
    title = labels.score_title % {"score": f"{hit.score:.2f}", "threshold": f"{threshold:.2f}"}
    meter = (
        f' <meter class="model-meter" min="0" max="1" optimum="0" high="{threshold:.2f}"'
        f' value="{hit.score:.2f}" title="{title}">{hit.score:.2f}</meter>'
    )
    if hit.version is None:
        return meter
    version = labels.version % {"version": hit.version}
    return f'{meter} <a href="{urls.model_version.format(hit.version)}">{version}</a>'


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
    # Translated here, once: xgettext cannot read inside f-strings.
    title = escape(_("Precision and recall at every threshold"))
    recall_label = escape(_("Recall: share of rejected comments it would hold"))
    precision_label = escape(_("Precision: share of held ones rejected"))
    point_label = escape(_("threshold %(threshold)s") % {"threshold": f"{threshold:.2f}"})
    left, right, top, bottom = 56, 388, 16, 244
    width, height = right - left, bottom - top

    def x(recall: float) -> float:
        return left + recall * width

    def y(precision: float) -> float:
        return bottom - precision * height

    parts = [
        '<svg class="pr-curve" viewBox="0 0 400 290" role="img" aria-labelledby="pr-title'
        ' pr-desc" xmlns="http://www.w3.org/2000/svg"><title id="pr-title">'
        f"{title}</title>"
    ]
    desc = _(
        "Each point is a threshold: to the right, more of the rejected comments are caught;"
        " higher up, more of the held comments were rightly held."
    )
    if at is not None:
        desc += " " + _(
            "At the threshold in force, %(threshold)s: precision %(precision)s, recall %(recall)s."
        ) % {
            "threshold": f"{threshold:.2f}",
            "precision": f"{at[0]:.0%}",
            "recall": f"{at[1]:.0%}",
        }
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
        f' text-anchor="middle">{recall_label}'
        f'</text><text class="pr-label" transform="translate(14 {(top + bottom) / 2:.0f})'
        ' rotate(-90)" text-anchor="middle">'
        f"{precision_label}</text>"
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
            f' text-anchor="{"end" if at[1] > 0.7 else "start"}">'
            f"{point_label}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
