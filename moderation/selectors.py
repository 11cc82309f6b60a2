"""Reads for the moderation pages: the queue, the author's record, a user's page,
the audit log and the dashboard. Each page costs a fixed number of queries,
however many items it shows."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from accounts.models import User
from comments.models import Comment, CommentRevision, CommentStatus, ReasonCategory
from core.script import isolate
from moderation import rules, scoring
from moderation.models import (
    DECISION_CODES,
    UNDOABLE_CODES,
    ActionCode,
    Appeal,
    AppealStatus,
    HoldScope,
    LegalHold,
    ModelMode,
    ModelSource,
    ModelVersion,
    ModerationAction,
    Report,
    ReportReason,
    Sanction,
    SanctionKind,
)
from moderation.textmodel.evaluate import OK, Confusion, confusion, confusion_by_language
from moderation.textmodel.language import LANGUAGES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 25

TABS: dict[str, StrOrPromise] = {
    "pending": gettext_lazy("Pending"),
    "reported": gettext_lazy("Reported"),
    "approved": gettext_lazy("Approved"),
    "rejected": gettext_lazy("Rejected and removed"),
    "all": gettext_lazy("All"),
}

# moderation.rules and moderation.people_rules know no Django (import-linter), so
# their words are translated here, by code: what a moderator reads about a hit.
# The English is theirs, word for word (tests/moderation/test_urdu_interface.py
# checks that every code has its translation and that the English agrees).
RULE_LABELS: dict[str, StrOrPromise] = {
    "article.premoderated": gettext_lazy("Premoderated article"),
    "author.premoderated": gettext_lazy("Author premoderated"),
    "author.new_account": gettext_lazy("New account"),
    "words.blocked": gettext_lazy("Blocked term"),
    "words.held": gettext_lazy("Held term"),
    "links.too_many": gettext_lazy("Too many links"),
    "personal_data.phone": gettext_lazy("Phone number"),
    "personal_data.cnic": gettext_lazy("CNIC number"),
    "personal_data.email": gettext_lazy("Email address"),
    "duplicate.recent": gettext_lazy("Repeated comment"),
    "people.protected": gettext_lazy("Names a person this newsroom protects"),
    "people.accused": gettext_lazy("Accuses a named person"),
    "private.correspondence": gettext_lazy("May publish private correspondence"),
    "model.held": gettext_lazy("Held by the moderation model"),
    "model.score": gettext_lazy("Moderation model’s score"),
    "edit.after_report": gettext_lazy("Edited after a report"),
    "edit.while_held": gettext_lazy("Edited while held"),
}

RULE_SENTENCES: dict[str, StrOrPromise] = {
    "article.premoderated": gettext_lazy(
        "Held because this article is premoderated: every comment on it waits for a moderator."
    ),
    "author.premoderated": gettext_lazy(
        "Held because a moderator set this author to always be premoderated."
    ),
    "author.new_account": gettext_lazy(
        "Held because it is one of the first comments of a new account; they wait for a "
        "moderator until enough are approved."
    ),
    "words.blocked": gettext_lazy("Rejected because it contains a term on the blocked list."),
    "words.held": gettext_lazy("Held because it contains a term on the list of terms to review."),
    "links.too_many": gettext_lazy("Held because it contains more links than the site allows."),
    "personal_data.phone": gettext_lazy("Held because it seems to contain a phone number."),
    "personal_data.cnic": gettext_lazy(
        "Held because it seems to contain a CNIC (national identity card) number."
    ),
    "personal_data.email": gettext_lazy("Held because it seems to contain an email address."),
    "duplicate.recent": gettext_lazy(
        "Rejected because its author posted the same text a moment before."
    ),
    "private.correspondence": gettext_lazy(
        "May publish private correspondence (a pasted chat, a forwarded message or a link to "
        "shared files)."
    ),
    "model.held": gettext_lazy(
        "Held because the moderation model scored it at or above its threshold."
    ),
    "model.score": gettext_lazy(
        "The moderation model's score, for information: it did not hold the comment."
    ),
    "edit.after_report": gettext_lazy(
        "Held because its author edited it while readers' reports were open; compare the "
        "versions before deciding."
    ),
    "edit.while_held": gettext_lazy("Its author edited it while it awaited a moderator."),
}

# moderation.people_rules.EXPLAIN, translated.
PEOPLE_EXPLAIN: dict[str, StrOrPromise] = {
    "people.protected": gettext_lazy(
        "The comment names someone this newsroom protects (a survivor, complainant, minor "
        "or anyone a court shields). Publishing anything that identifies them can be a "
        "crime (Pakistan Penal Code, section 376-A). Approve only if the match is someone "
        "else; if it is a new spelling of a listed person, add it below."
    ),
    "people.accused": gettext_lazy(
        "The comment says a named, accused person is guilty. Until a court decides, that "
        "is the defamation risk the newsroom fears most; a hedge (“alleged”) is noted "
        "when there is one. Approve only if it reports the accusation fairly."
    ),
    "private.correspondence": gettext_lazy(
        "The comment may publish private messages: pasted chat lines, a forwarded "
        "message or mail, or a link to an image or file host (screenshots are often "
        "shared that way). Check before approving."
    ),
}

# A listed person's role (moderation.people_rules.Role), in words.
ROLE_WORDS: dict[str, StrOrPromise] = {
    "protected": pgettext_lazy("a listed person's role", "protected"),
    "accused": pgettext_lazy("a listed person's role", "accused"),
    "public_figure": pgettext_lazy("a listed person's role", "public figure"),
}

# What a hit does to the comment (rules.RuleAction), as its badge says it.
HIT_ACTIONS: dict[str, StrOrPromise] = {
    "hold": pgettext_lazy("what a screening rule does", "hold"),
    "reject": pgettext_lazy("what a screening rule does", "reject"),
    "note": pgettext_lazy("what a screening rule does", "note"),
}


# The languages the moderation model tells apart (moderation.textmodel.language), in words.
LANGUAGE_NAMES: dict[str, StrOrPromise] = {
    "en": gettext_lazy("English"),
    "ur": gettext_lazy("Urdu script"),
    "roman_ur": gettext_lazy("Roman Urdu"),
    "mixed": gettext_lazy("Mixed"),
}


def role_words() -> dict[str, StrOrPromise]:
    return ROLE_WORDS


def people_explanations() -> dict[str, StrOrPromise]:
    return PEOPLE_EXPLAIN


def _reported(label: StrOrPromise) -> str:
    return _("Reported: %(reason)s") % {"reason": label}


_reported_lazy = lazy(_reported, str)

# The reason filter: every screening rule, then every report reason.
REASONS: list[tuple[str, StrOrPromise]] = [
    *((code, RULE_LABELS.get(code, label)) for code, label in rules.CODES.items()),
    *((f"report:{value}", _reported_lazy(label)) for value, label in ReportReason.choices),
]


def _open_reports() -> Exists:
    return Exists(Report.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))


def tab_queryset(tab: str) -> QuerySet[Comment]:
    qs = Comment.objects.all()
    match tab:
        case "pending":
            return qs.filter(status=CommentStatus.PENDING).exclude(_open_reports())
        case "reported":
            return qs.filter(
                _open_reports(), status__in=[CommentStatus.PENDING, CommentStatus.PUBLISHED]
            )
        case "approved":
            return qs.filter(status=CommentStatus.PUBLISHED)
        case "rejected":
            return qs.filter(status__in=[CommentStatus.REJECTED, CommentStatus.REMOVED])
        case _:
            return qs


# The archive tabs (approved, rejected, all) grow with the site for ever; counting
# them exactly would make every queue page cost a scan of the whole table. They
# are counted up to this cap and shown as "1,000+" beyond it, as issue trackers do.
# The work tabs (pending, reported) are always exact: they are what a moderator
# must get through, and they stay small when the desk keeps up.
TAB_COUNT_CAP = 1000


def tab_counts() -> dict[str, int]:
    """The five tab counts in two queries, neither of which grows with the archive.

    The first is one statement of index-only scans on (status, created_at, id):
    pending exactly, the others stopping after TAB_COUNT_CAP + 1 rows. The second
    groups the open reports only (a partial index). A count above the cap means
    "more than the cap"; `count_label` renders it."""
    cap = TAB_COUNT_CAP + 1
    pending, published = CommentStatus.PENDING, CommentStatus.PUBLISHED
    closed = (CommentStatus.REJECTED, CommentStatus.REMOVED)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM comments_comment WHERE status = %s),
              (SELECT count(*) FROM
                (SELECT 1 FROM comments_comment WHERE status = %s LIMIT %s) a),
              (SELECT count(*) FROM
                (SELECT 1 FROM comments_comment WHERE status IN (%s, %s) LIMIT %s) r),
              (SELECT count(*) FROM (SELECT 1 FROM comments_comment LIMIT %s) t)
            """,
            [pending, published, cap, *closed, cap, cap],
        )
        all_pending, approved, rejected, everything = cursor.fetchone()
    reported_by_status = dict(
        Report.objects.filter(resolved_at__isnull=True)
        .order_by()
        .values_list("comment__status")
        .annotate(n=Count("comment_id", distinct=True))
    )
    return {
        "pending": all_pending - reported_by_status.get(pending, 0),
        "reported": reported_by_status.get(pending, 0) + reported_by_status.get(published, 0),
        "approved": approved,
        "rejected": rejected,
        "all": everything,
    }


CAPPED_TABS = frozenset({"approved", "rejected", "all"})


def count_label(tab: str, n: int) -> str:
    """A tab's count as shown: an archive tab past the cap reads "1,000+"."""
    return f"{TAB_COUNT_CAP:,}+" if tab in CAPPED_TABS and n > TAB_COUNT_CAP else f"{n:,}"


def pending_count() -> int:
    return tab_counts()["pending"]


@dataclass
class QueueQuery:
    tab: str = "pending"
    article: int | None = None
    section: str = ""
    author: int | None = None
    reason: str = ""
    q: str = ""
    order: str = "oldest"
    after: tuple[datetime, int] | None = None


def encode_cursor(comment: Comment) -> str:
    return f"{comment.created_at.isoformat()}_{comment.pk}"


def decode_cursor(raw: str) -> tuple[datetime, int] | None:
    """A bad cursor (hand-edited URL) means the first page, never an error."""
    stamp, _sep, pk = (raw or "").rpartition("_")
    try:
        when = datetime.fromisoformat(stamp)
        ident = int(pk)
    except ValueError:
        return None
    if timezone.is_naive(when):
        return None
    return when, ident


@dataclass(frozen=True, slots=True)
class LabelledHit:
    """A screening hit as the queue explains it."""

    code: str
    label: str
    action: str
    match: str
    detail: str
    # What the hit does (hold, reject, note), in the interface's language.
    action_label: str = ""
    # The rule in whole sentences (rules.SENTENCES), for the queue.
    sentence: str = ""
    # The moderation model's hits: its score, the threshold then in force, the
    # version that scored, and the words that raised the score most.
    score: float | None = None
    threshold: float | None = None
    version: int | None = None
    spans: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One queue entry and everything it shows besides the comment itself (its
    article and section, author and parent with its author are loaded on it)."""

    comment: Comment
    record: AuthorRecord
    highlighted: SafeString
    hits: list[LabelledHit]
    open_reports: list[Report]
    # What the open reports weigh together (each report's `weight`), against
    # settings.REPORT_HIDE_THRESHOLD.
    open_weight: Decimal = Decimal("0")
    # Its earlier texts, oldest first, each with its changes to the next one.
    revisions: list[RevisionView] = field(default_factory=list)
    # The latest moderator's decision on it, when there is one: who, what, when.
    decided: LastDecision | None = None

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def edited_after_report(self) -> bool:
        return bool(self.revisions) and self.revisions[-1].after_report


def queue_page(query: QueueQuery, *, page_size: int = PAGE_SIZE) -> tuple[list[QueueItem], str]:
    """One page of the queue, keyset-paged on (created_at, id), with everything an
    item shows loaded up front: article, parent, author, open reports, the
    author's record."""
    qs = tab_queryset(query.tab)
    if query.article:
        qs = qs.filter(article_id=query.article)
    if query.section:
        qs = qs.filter(article__section__slug=query.section)
    if query.author:
        qs = qs.filter(author_id=query.author)
    if query.reason.startswith("report:"):
        qs = qs.filter(
            Exists(
                Report.objects.filter(
                    comment=OuterRef("pk"),
                    resolved_at__isnull=True,
                    reason=query.reason.removeprefix("report:"),
                )
            )
        )
    elif query.reason:
        # jsonb containment: any stored hit with this code.
        qs = qs.filter(hold_reasons__contains=[{"code": query.reason}])
    if query.q:
        qs = qs.filter(body__icontains=query.q)
    newest = query.order == "newest"
    if query.after:
        when, ident = query.after
        if newest:
            qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=ident))
        else:
            qs = qs.filter(Q(created_at__gt=when) | Q(created_at=when, id__gt=ident))
    qs = qs.order_by(*(("-created_at", "-id") if newest else ("created_at", "id")))
    # The parent comes in a second query: joined in as well, the statement had seven
    # relations and an anti-join, and PostgreSQL spent longer planning it than
    # running both.
    qs = qs.select_related("author", "article", "article__section").prefetch_related(
        Prefetch("parent", queryset=Comment.objects.select_related("author"))
    )
    rows = list(qs[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    reports: dict[int, list[Report]] = {c.pk: [] for c in rows}
    for report in (
        Report.objects.filter(comment_id__in=list(reports), resolved_at__isnull=True)
        .select_related("reporter")
        .order_by("created_at", "id")
    ):
        reports[report.comment_id].append(report)
    records = author_records([c.author_id for c in rows])
    revisions = revision_views({c.pk: c.body for c in rows if c.edited_at is not None})
    decided = last_decisions([c.pk for c in rows if c.status != CommentStatus.PENDING])
    words = hit_words()
    items = [
        QueueItem(
            comment=c,
            record=records.get(c.author_id, AuthorRecord()),
            highlighted=highlight_body(c.body, c.hold_reasons),
            hits=labelled_hits(c.hold_reasons, words=words),
            open_reports=reports[c.pk],
            open_weight=sum((r.weight for r in reports[c.pk]), Decimal("0")),
            revisions=revisions.get(c.pk, []),
            decided=decided.get(c.pk),
        )
        for c in rows
    ]
    return items, (encode_cursor(rows[-1]) if more and rows else "")


# ---------------------------------------------------------------- decisions


@dataclass(frozen=True, slots=True)
class LastDecision:
    """Who last decided a comment, what, and when (the queue's decided items)."""

    by: str
    label: str
    at: datetime


def last_decisions(comment_ids: list[int]) -> dict[int, LastDecision]:
    """The latest moderator's decision on each comment, in one query."""
    if not comment_ids:
        return {}
    out: dict[int, LastDecision] = {}
    labels = {code: str(label) for code, label in ActionCode.choices}
    for row in (
        ModerationAction.objects.filter(
            comment_id__in=comment_ids, action__in=DECISION_CODES, actor__isnull=False
        )
        .order_by("comment_id", "-created_at", "-id")
        .distinct("comment_id")
        .values("comment_id", "action", "created_at", "actor__display_name")
    ):
        out[row["comment_id"]] = LastDecision(
            by=row["actor__display_name"],
            label=labels.get(row["action"], row["action"]),
            at=row["created_at"],
        )
    return out


@dataclass(frozen=True, slots=True)
class UndoOffer:
    """A decision of the moderator's (or a bulk decision: `batch`) that can still
    be undone, until `until`."""

    action_id: int
    batch: str
    label: str
    count: int
    author: str
    until: datetime


def latest_decision_id(*, comment_id: int, by: User) -> int | None:
    """The id of `by`'s latest decision on a comment (for the undo button)."""
    return (
        ModerationAction.objects.filter(comment_id=comment_id, actor=by, action__in=UNDOABLE_CODES)
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
        .first()
    )


def undo_offers(*, by: User, now: datetime | None = None) -> list[UndoOffer]:
    """The moderator's decisions still inside the undo window, newest first, a bulk
    decision as one offer; decisions already undone, or overtaken by a later change
    of the comment, are left out."""
    now = now or timezone.now()
    window = timedelta(seconds=settings.MODERATION_UNDO_SECONDS)
    if not window:
        return []
    recent = list(
        ModerationAction.objects.filter(
            actor=by, action__in=UNDOABLE_CODES, created_at__gte=now - window
        )
        .select_related("comment__author")
        .order_by("-created_at", "-id")[:200]
    )
    if not recent:
        return []
    latest = dict(
        ModerationAction.objects.filter(comment_id__in={a.comment_id for a in recent})
        .order_by("comment_id", "-created_at", "-id")
        .distinct("comment_id")
        .values_list("comment_id", "id")
    )
    offers: dict[str, UndoOffer] = {}
    for action in recent:
        if action.comment_id is None or latest.get(action.comment_id) != action.pk:
            continue
        batch = str(action.data.get("batch") or "")
        key = batch or f"one:{action.pk}"
        if key in offers:
            offer = offers[key]
            offers[key] = UndoOffer(
                offer.action_id, batch, offer.label, offer.count + 1, "", offer.until
            )
            continue
        author = action.comment.author.display_name if action.comment else ""
        offers[key] = UndoOffer(
            action_id=action.pk,
            batch=batch,
            label=str(action.get_action_display()),
            count=1,
            author=author,
            until=action.created_at + window,
        )
    return list(offers.values())


# ---------------------------------------------------------------- revisions


@dataclass(frozen=True, slots=True)
class RevisionView:
    """One earlier text of a comment (comments.CommentRevision) as moderators see
    it: the text, and what the edit that replaced it changed."""

    comment_id: int
    number: int
    body: str
    status: str
    written_at: datetime
    replaced_at: datetime
    after_report: bool
    redacted: bool
    # The changes from this text to the one that replaced it, escaped, with
    # <del> and <ins> around what went and what came.
    diff: SafeString

    @property
    def status_label(self) -> str:
        return str(CommentStatus(self.status).label)


_TOKENS = re.compile(r"\s+|[^\s]+")


def text_diff(old: str, new: str) -> SafeString:
    """A word-level diff of two texts as HTML: every piece escaped, removed words
    in <del>, added words in <ins>, spacing and line breaks kept as typed."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


def revision_views(current: dict[int, str]) -> dict[int, list[RevisionView]]:
    """The revisions of each comment in `current` (comment id -> its text now),
    oldest first, in one query for them all."""
    out: dict[int, list[RevisionView]] = {pk: [] for pk in current}
    if not current:
        return out
    rows: dict[int, list[CommentRevision]] = {pk: [] for pk in current}
    for revision in CommentRevision.objects.filter(comment_id__in=list(current)).order_by(
        "comment_id", "number"
    ):
        rows[revision.comment_id].append(revision)
    for pk, revisions in rows.items():
        for i, revision in enumerate(revisions):
            following = revisions[i + 1].body if i + 1 < len(revisions) else current[pk]
            out[pk].append(
                RevisionView(
                    comment_id=pk,
                    number=revision.number,
                    body=revision.body,
                    status=revision.status,
                    written_at=revision.written_at,
                    replaced_at=revision.replaced_at,
                    after_report=revision.after_report,
                    redacted=revision.redacted_at is not None,
                    diff=text_diff(revision.body, following),
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class CommentHistory:
    """Everything that happened to one comment: its texts, its reports, and every
    audit entry about it, oldest first."""

    comment: Comment
    revisions: list[RevisionView]
    reports: list[Report]
    actions: list[ModerationAction]


def comment_history(*, pk: int) -> CommentHistory | None:
    comment = Comment.objects.select_related("author", "article").filter(pk=pk).first()
    if comment is None:
        return None
    return CommentHistory(
        comment=comment,
        revisions=revision_views({comment.pk: comment.body})[comment.pk],
        reports=list(
            Report.objects.filter(comment=comment)
            .select_related("reporter")
            .order_by("created_at", "id")
        ),
        actions=list(
            ModerationAction.objects.filter(comment=comment)
            .select_related("actor")
            .order_by("created_at", "id")
        ),
    )


def user_revisions(*, user: User, limit: int = 50) -> list[RevisionView]:
    """The latest edits of a user's comments, newest first, each with its diff."""
    latest = list(
        CommentRevision.objects.filter(comment__author=user)
        .order_by("-replaced_at", "-id")
        .values_list("comment_id", flat=True)[:limit]
    )
    if not latest:
        return []
    texts = dict(Comment.objects.filter(pk__in=set(latest)).values_list("pk", "body"))
    views = revision_views(texts)
    every = [view for pk in texts for view in views[pk]]
    every.sort(key=lambda v: (v.replaced_at, v.comment_id, v.number), reverse=True)
    return every[:limit]


@dataclass
class AuthorRecord:
    comments: int = 0
    approved: int = 0
    rejected: int = 0
    pending: int = 0
    reports: int = 0
    sanctions: int = 0
    active_sanctions: list[str] = field(default_factory=list)


def author_records(
    author_ids: list[int], *, now: datetime | None = None
) -> dict[int, AuthorRecord]:
    """The record shown beside each queue item: two grouped queries for a page."""
    now = now or timezone.now()
    ids = sorted(set(author_ids))
    if not ids:
        return {}
    records = {pk: AuthorRecord() for pk in ids}
    for row in (
        Comment.objects.filter(author_id__in=ids)
        .values("author_id")
        .annotate(
            total=Count("id"),
            approved=Count("id", filter=Q(status=CommentStatus.PUBLISHED)),
            rejected=Count(
                "id", filter=Q(status__in=[CommentStatus.REJECTED, CommentStatus.REMOVED])
            ),
            pending=Count("id", filter=Q(status=CommentStatus.PENDING)),
            reports_received=Sum("report_count"),
        )
        .order_by("author_id")
    ):
        record = records[row["author_id"]]
        record.comments = row["total"]
        record.approved = row["approved"]
        record.rejected = row["rejected"]
        record.pending = row["pending"]
        record.reports = row["reports_received"] or 0
    for sanction in Sanction.objects.filter(user_id__in=ids).order_by("created_at", "id"):
        record = records[sanction.user_id]
        record.sanctions += 1
        if sanction.lifted_at is None and (sanction.until is None or sanction.until > now):
            record.active_sanctions.append(sanction.get_kind_display())
    return records


@dataclass(frozen=True, slots=True)
class HitWords:
    """The words of the screening rules in one language: labels, sentences, actions."""

    labels: dict[str, str]
    sentences: dict[str, str]
    actions: dict[str, str]


_HIT_WORDS: dict[str, HitWords] = {}


def hit_words() -> HitWords:
    """The rules' words in the active language, translated once per language and
    process (a page of hits looks them up in a dict, not in the catalogue)."""
    language = get_language() or ""
    words = _HIT_WORDS.get(language)
    if words is None:
        words = HitWords(
            labels={code: str(label) for code, label in RULE_LABELS.items()},
            sentences={code: str(text) for code, text in RULE_SENTENCES.items()},
            actions={code: str(word) for code, word in HIT_ACTIONS.items()},
        )
        _HIT_WORDS[language] = words
    return words


# A stored hit's detail is written in English when the comment is screened (the rules
# are pure and know no language; the record must not depend on who posted). In another
# interface language it is said again from the hit: the model's from its fields, the
# others from the few shapes the rules write them in; a shape not known here is shown
# as stored.
_LINKS_DETAIL = re.compile(r"^(\d+) links \(more than (\d+)\)$")
_PROTECTED_DETAIL = re.compile(
    r"^Names (.+), protected \((on the site-wide list|listed for this article)\)$"
)
_ACCUSED_DETAIL = re.compile(
    r"^Accuses (.+) \(accused, not convicted\): “(.*?)”(?:; hedged with “(.*)”)?$", re.S
)


def localized_detail(hit: dict[str, Any]) -> str:
    """A stored hit's detail in the active language (as stored, in English)."""
    detail = str(hit.get("detail") or "")
    if not detail or (get_language() or "en").startswith("en"):
        return detail
    code = str(hit.get("code", ""))
    if code.startswith("model.") and isinstance(hit.get("score"), int | float):
        said = _("Score %(score)s (threshold %(threshold)s)") % {
            "score": f"{hit['score']:.2f}",
            "threshold": f"{_number(hit.get('threshold')) or 0.0:.2f}",
        }
        reason = str(hit.get("reason") or "")
        if reason in ReasonCategory.values and hit["score"] >= (_number(hit.get("threshold")) or 0):
            said += _(", most likely %(reason)s") % {"reason": ReasonCategory(reason).label}
        texts = model_span_texts(hit)
        if texts:
            said += _("; raised most by %(words)s") % {
                "words": _(", ").join(f"“{text}”" for text in texts)
            }
        return said
    if m := _LINKS_DETAIL.match(detail):
        return _("%(count)s links (more than %(limit)s)") % {"count": m[1], "limit": m[2]}
    if m := _PROTECTED_DETAIL.match(detail):
        where = (
            _("on the site-wide list")
            if m[2] == "on the site-wide list"
            else _("listed for this article")
        )
        return _("Names %(name)s, protected (%(where)s)") % {"name": m[1], "where": where}
    if m := _ACCUSED_DETAIL.match(detail):
        said = _("Accuses %(name)s (accused, not convicted): “%(words)s”") % {
            "name": m[1],
            "words": m[2],
        }
        if m[3]:
            said += _("; hedged with “%(hedge)s”") % {"hedge": m[3]}
        return said
    return str(DETAIL_WORDS.get(detail, detail))


# The details the rules write in fixed words.
DETAIL_WORDS: dict[str, StrOrPromise] = {
    "Article is premoderated": gettext_lazy("Article is premoderated"),
    "Author is premoderated": gettext_lazy("Author is premoderated"),
    "One of a new account's first comments": gettext_lazy("One of a new account's first comments"),
    "Same text as a recent comment by this author": gettext_lazy(
        "Same text as a recent comment by this author"
    ),
    "Blocked term": gettext_lazy("Blocked term"),
    "Held term": gettext_lazy("Held term"),
    "Phone number": gettext_lazy("Phone number"),
    "CNIC number": gettext_lazy("CNIC number"),
    "Email address": gettext_lazy("Email address"),
}


def labelled_hits(
    hits: list[dict[str, Any]], *, words: HitWords | None = None
) -> list[LabelledHit]:
    """Stored hits (comment.hold_reasons) with the label of their rule, in the
    active language (`words`: hit_words(), passed in by a caller labelling many)."""
    words = words or hit_words()
    out = []
    for hit in hits:
        code = str(hit.get("code", ""))
        score = hit.get("score")
        action = str(hit.get("action", ""))
        out.append(
            LabelledHit(
                code=code,
                label=words.labels.get(code) or rules.CODES.get(code, code),
                sentence=words.sentences.get(code) or rules.SENTENCES.get(code, ""),
                action=action,
                action_label=words.actions.get(action, action),
                match=str(hit.get("match") or ""),
                detail=localized_detail(hit),
                score=float(score) if isinstance(score, int | float) else None,
                threshold=_number(hit.get("threshold")),
                version=hit.get("version") if isinstance(hit.get("version"), int) else None,
                spans=tuple(model_span_texts(hit)),
            )
        )
    return out


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def model_span_texts(hit: dict[str, Any]) -> list[str]:
    """The words a model's hit says raised its score, as typed ([start, end, text])."""
    spans = hit.get("spans")
    if not isinstance(spans, list):
        return []
    return [str(span[2]) for span in spans if isinstance(span, list) and len(span) == 3]


def highlight_body(body: str, hits: list[dict[str, Any]]) -> SafeString:
    """The comment as typed, escaped, with every matched span of every hit marked,
    paragraphs kept, and its numbers and @names isolated so their order survives in
    right-to-left text (core.script.isolate), as in the thread."""
    text = str(escape(body))
    found: set[str] = {str(escape(h.get("match") or "")) for h in hits} - {""}
    # The words that raised a model's score, marked apart from what rules matched.
    raised_texts: set[str] = {str(escape(t)) for h in hits for t in model_span_texts(h)} - {""}
    raised = {t.casefold() for t in raised_texts}
    matches = sorted(found | raised_texts, key=len, reverse=True)
    if matches:
        # A raised word is marked where it stands as a word, not inside another one
        # (nor inside an escaped character such as &lt;).
        pattern = re.compile(
            "|".join(
                rf"(?<![\w&]){re.escape(m)}(?!\w)" if m.casefold() in raised else re.escape(m)
                for m in matches
            ),
            re.IGNORECASE,
        )
        text = pattern.sub(
            lambda m: (
                f'<mark class="model-span">{m.group(0)}</mark>'
                if m.group(0).casefold() in raised
                else f"<mark>{m.group(0)}</mark>"
            ),
            text,
        )
    text = isolate(text)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n{2,}", text) if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))  # noqa: S308


# ---------------------------------------------------------------- appeals


@dataclass(frozen=True, slots=True)
class AppealItem:
    """An appeal as the appeals tab shows it: the comment, the decision appealed
    (who, when, why) and the author's note."""

    appeal: Appeal
    decided_by_id: int | None
    decided_by: str
    decided_at: datetime
    decision_label: str
    reason_label: str
    decision_note: str
    highlighted: SafeString

    @property
    def pk(self) -> int:
        return self.appeal.pk


def appeal_items(*, decided: bool = False, limit: int = 50) -> list[AppealItem]:
    """Open appeals, oldest first (the next to decide), or decided ones, newest
    first, each with its comment and decision, in one query."""
    qs = (
        Appeal.objects.exclude(status=AppealStatus.OPEN) if decided else Appeal.objects.waiting()
    ).select_related(
        "comment",
        "comment__article",
        "comment__author",
        "appellant",
        "decision",
        "decision__actor",
        "decided_by",
    )
    order = ("-decided_at", "-id") if decided else ("created_at", "id")
    out = []
    for appeal in qs.order_by(*order)[:limit]:
        decision = appeal.decision
        out.append(
            AppealItem(
                appeal=appeal,
                decided_by_id=decision.actor_id,
                decided_by=decision.actor.display_name if decision.actor else _("the system"),
                decided_at=decision.created_at,
                decision_label=str(decision.get_action_display()),
                reason_label=reason_label(decision.reason),
                decision_note=decision.note,
                highlighted=highlight_body(appeal.comment.body, []),
            )
        )
    return out


def decided_appeal_items(*, limit: int = 20) -> list[AppealItem]:
    """The latest decided appeals, upheld or overturned, newest first."""
    return appeal_items(decided=True, limit=limit)


def appeals_waiting() -> int:
    return Appeal.objects.waiting().count()


@dataclass(frozen=True, slots=True)
class AppealFigures:
    waiting: int
    decided: int
    overturned: int
    oldest_waiting: datetime | None

    @property
    def overturn_rate_text(self) -> str:
        return f"{self.overturned / self.decided:.0%}" if self.decided else "—"


def appeal_figures() -> AppealFigures:
    """The dashboard's appeal figures, in one query."""
    row = Appeal.objects.aggregate(
        waiting=Count("id", filter=Q(status=AppealStatus.OPEN)),
        decided=Count("id", filter=~Q(status=AppealStatus.OPEN)),
        overturned=Count("id", filter=Q(status=AppealStatus.OVERTURNED)),
        oldest=Min("created_at", filter=Q(status=AppealStatus.OPEN)),
    )
    return AppealFigures(
        waiting=row["waiting"],
        decided=row["decided"],
        overturned=row["overturned"],
        oldest_waiting=row["oldest"],
    )


# ---------------------------------------------------------------- legal holds


def legal_holds(*, limit: int = 100) -> list[LegalHold]:
    """Holds in force first, then released ones, newest first."""
    return list(
        LegalHold.objects.select_related("user", "article", "created_by", "released_by")
        .annotate(named=Count("comments"))
        .order_by(F("released_at").desc(nulls_first=True), "-created_at", "-id")[:limit]
    )


@dataclass(frozen=True, slots=True)
class HoldScopeSummary:
    comments: int
    revisions: int
    decisions: int
    reports: int
    appeals: int
    comment_ids: list[int]


def hold_scope_summary(hold: LegalHold) -> HoldScopeSummary:
    """How much a hold covers, in a few counts."""
    if hold.scope == HoldScope.USER and hold.user_id is not None:
        comments = Comment.objects.filter(author_id=hold.user_id)
    elif hold.scope == HoldScope.ARTICLE and hold.article_id is not None:
        comments = Comment.objects.filter(article_id=hold.article_id)
    else:
        comments = Comment.objects.filter(pk__in=hold.comments.values("pk"))
    ids = list(comments.order_by("pk").values_list("pk", flat=True)[:10000])
    return HoldScopeSummary(
        comments=len(ids),
        revisions=CommentRevision.objects.filter(comment_id__in=ids).count(),
        decisions=ModerationAction.objects.filter(comment_id__in=ids).count(),
        reports=Report.objects.filter(comment_id__in=ids).count(),
        appeals=Appeal.objects.filter(comment_id__in=ids).count(),
        comment_ids=ids[:50],
    )


# ---------------------------------------------------------------- user page


@dataclass(frozen=True, slots=True)
class UserComment:
    """A line of the user page's comment table, in words."""

    comment: Comment
    status_label: str
    reason_label: str
    hold_labels: list[str]
    edited: bool


def user_comments(*, user: User, limit: int = 200) -> list[UserComment]:
    words = hit_words()
    return [
        UserComment(
            comment=c,
            status_label=str(c.get_status_display()),
            reason_label=str(c.get_reason_category_display()) if c.reason_category else "",
            hold_labels=[hit.label for hit in labelled_hits(c.hold_reasons, words=words)],
            edited=c.edited_at is not None,
        )
        for c in Comment.objects.filter(author=user)
        .select_related("article")
        .order_by("-created_at", "-id")[:limit]
    ]


def user_reports(*, user: User, limit: int = 50) -> tuple[list[Report], list[Report]]:
    """The reports on the user's comments and the reports the user filed, newest first."""
    received = list(
        Report.objects.filter(comment__author=user)
        .select_related("reporter")
        .order_by("-created_at", "-id")[:limit]
    )
    filed = list(
        Report.objects.filter(reporter=user)
        .select_related("comment__author")
        .order_by("-created_at", "-id")[:limit]
    )
    return received, filed


def user_appeals(*, user: User) -> list[Appeal]:
    return list(
        Appeal.objects.filter(appellant=user)
        .select_related("decided_by")
        .order_by("-created_at", "-id")[:50]
    )


def user_sanctions(*, user: User) -> list[Sanction]:
    return list(
        Sanction.objects.filter(user=user)
        .select_related("created_by", "lifted_by")
        .order_by("-created_at", "-id")
    )


def user_notes(*, user: User) -> list[ModerationAction]:
    """Moderators' notes: free notes about the user and the notes on decisions
    about their comments and account."""
    return list(
        ModerationAction.objects.filter(target_user=user)
        .exclude(note="")
        .exclude(actor=None)
        .select_related("actor")
        .order_by("-created_at", "-id")[:100]
    )


# ---------------------------------------------------------------- audit log


@dataclass
class AuditQuery:
    actor: int | None = None
    comment: int | None = None
    user: int | None = None
    action: str = ""
    before: tuple[datetime, int] | None = None


def audit_queryset(query: AuditQuery) -> QuerySet[ModerationAction]:
    qs = ModerationAction.objects.select_related("actor", "target_user", "comment")
    if query.actor:
        qs = qs.filter(actor_id=query.actor)
    if query.comment:
        qs = qs.filter(comment_id=query.comment)
    if query.user:
        qs = qs.filter(target_user_id=query.user)
    if query.action:
        qs = qs.filter(action=query.action)
    return qs.order_by("-created_at", "-id")


_REASON_WORDS: dict[str, StrOrPromise] = {
    "reports": gettext_lazy("Readers' reports"),
    "editor": gettext_lazy("Editor"),
    "moderator": gettext_lazy("Moderator"),
    "admin": gettext_lazy("Admin"),
}


def reason_label(reason: str) -> str:
    """An audit entry's reason in words: a decision's reason category, a rule that
    held a comment, a sanction's kind or a role (codes stay in the CSV)."""
    if not reason:
        return ""
    if reason in ReasonCategory.values:
        return str(ReasonCategory(reason).label)
    if reason in rules.CODES:
        return str(RULE_LABELS.get(reason, rules.CODES[reason]))
    if reason in SanctionKind.values:
        return str(SanctionKind(reason).label)
    return str(_REASON_WORDS.get(reason, reason))


def status_label(status: str) -> str:
    return str(CommentStatus(status).label) if status in CommentStatus.values else status


@dataclass(frozen=True, slots=True)
class AuditRow:
    """An audit entry as the audit screen shows it, in words."""

    entry: ModerationAction
    action_label: str
    reason_label: str
    from_label: str
    to_label: str


def audit_page(query: AuditQuery, *, page_size: int = 50) -> tuple[list[AuditRow], str]:
    qs = audit_queryset(query)
    if query.before:
        when, ident = query.before
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=ident))
    rows = list(qs[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    cursor = f"{rows[-1].created_at.isoformat()}_{rows[-1].pk}" if more and rows else ""
    new = pgettext_lazy("a comment's status before it existed", "new")
    return [
        AuditRow(
            entry=row,
            action_label=str(row.get_action_display()),
            reason_label=reason_label(row.reason),
            from_label=status_label(row.from_status) if row.from_status else str(new),
            to_label=status_label(row.to_status),
        )
        for row in rows
    ], cursor


def moderators() -> QuerySet[User]:
    return (
        User.objects.filter(
            Q(groups__permissions__codename="moderate_comment") | Q(is_superuser=True)
        )
        .distinct()
        .order_by("display_name", "id")
    )


# ---------------------------------------------------------------- dashboard


@dataclass
class Dashboard:
    counts: dict[str, int]
    per_moderator: list[dict[str, Any]]
    median_today: timedelta | None
    median_week: timedelta | None
    oldest_pending: datetime | None
    # Comments awaiting a moderator for longer than settings.MODERATION_STALE_HOURS.
    stale: int = 0
    stale_hours: int = 24

    @property
    def median_today_text(self) -> str:
        return humanize_duration(self.median_today)

    @property
    def median_week_text(self) -> str:
        return humanize_duration(self.median_week)


def humanize_duration(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return _("under a minute")
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    shown = []
    if days:
        shown.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    if hours:
        shown.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes and len(shown) < 2:
        shown.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(shown)


def dashboard(*, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    local = timezone.localtime(now)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    week = today - timedelta(days=today.weekday())
    per_moderator = [
        dict(row)
        for row in ModerationAction.objects.filter(
            action__in=DECISION_CODES, actor__isnull=False, created_at__gte=week
        )
        .values("actor_id", "actor__display_name")
        .annotate(
            today=Count("id", filter=Q(created_at__gte=today)),
            week=Count("id"),
        )
        .order_by("-week", "actor__display_name", "actor_id")
    ]
    oldest = (
        Comment.objects.filter(status=CommentStatus.PENDING)
        .order_by("created_at", "id")
        .values_list("created_at", flat=True)
        .first()
    )
    stale_hours = settings.MODERATION_STALE_HOURS
    return Dashboard(
        counts=tab_counts(),
        per_moderator=per_moderator,
        median_today=_median_decision_time(since=today),
        median_week=_median_decision_time(since=week),
        oldest_pending=oldest,
        stale=Comment.objects.filter(
            status=CommentStatus.PENDING, created_at__lt=now - timedelta(hours=stale_hours)
        ).count(),
        stale_hours=stale_hours,
    )


def _median_decision_time(*, since: datetime) -> timedelta | None:
    """Median from a comment's submission to its first moderator decision, over
    decisions made since `since`. percentile_cont runs in the database."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY first_decision - c.created_at)
            FROM (
                SELECT comment_id, min(created_at) AS first_decision
                FROM moderation_moderationaction
                WHERE actor_id IS NOT NULL AND comment_id IS NOT NULL AND action = ANY(%s)
                GROUP BY comment_id
            ) d
            JOIN comments_comment c ON c.id = d.comment_id
            WHERE d.first_decision >= %s
            """,
            [list(DECISION_CODES), since],
        )
        row = cursor.fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------- the moderation model

# The codes of the moderation model's hits (moderation.rules.rule_model).
MODEL_CODES = ("model.held", "model.score")

# Decisions that keep a comment up; the others (reject, remove) take it down.
_KEPT_CODES = frozenset({ActionCode.APPROVED, ActionCode.RESTORED, ActionCode.REPORTS_DISMISSED})


@dataclass(frozen=True, slots=True)
class VersionRow:
    """A model version as the evaluation page lists it."""

    pk: int
    created_at: datetime
    trained_by: str
    source: str
    source_label: str
    decisions_from: datetime | None
    decisions_until: datetime | None
    examples: int
    held_out: int
    f1: float | None
    mode: str
    mode_label: str
    threshold: Decimal
    is_active: bool
    activated_at: datetime | None
    previous_id: int | None


@dataclass(frozen=True, slots=True)
class LanguageRow:
    code: str
    label: str
    confusion: Confusion

    @property
    def precision_text(self) -> str:
        return _percent(self.confusion.precision)

    @property
    def recall_text(self) -> str:
        return _percent(self.confusion.recall)


@dataclass(frozen=True, slots=True)
class Change:
    """One line of "what changed since the previous version"."""

    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class ModelEvaluation:
    """A version's figures on the decisions held out from its training, at the
    threshold it has now."""

    version: VersionRow
    threshold: float
    confusion: Confusion
    held_out: int
    held_out_rejected: int
    held_out_from: datetime | None
    average_precision: float
    brier: float
    baseline_brier: float
    calibration_error: float
    macro_f1: float
    baseline_macro_f1: float
    reason_macro_f1: float
    baseline_reason_macro_f1: float
    curve: list[tuple[float, float, float]]
    languages: list[LanguageRow]
    reasons_scored: list[str]
    features: int
    previous: int | None
    changes: list[Change]

    @property
    def precision_text(self) -> str:
        return _percent(self.confusion.precision)

    @property
    def recall_text(self) -> str:
        return _percent(self.confusion.recall)

    @property
    def f1_text(self) -> str:
        return _percent(self.confusion.f1)


@dataclass(frozen=True, slots=True)
class ScoredDecision:
    """A moderator's latest decision on a comment the model had scored."""

    comment_id: int
    excerpt: str
    author: str
    score: float
    threshold: float
    version: int | None
    model_held: bool  # the model's score was at or above its threshold
    rejected: bool  # the moderator rejected or removed it
    decision: str  # "Approved", "Rejected: Harassment or abuse", ...
    moderator: str
    decided_at: datetime

    @property
    def agrees(self) -> bool:
        return self.model_held == self.rejected


@dataclass(frozen=True, slots=True)
class ModelAgreement:
    """How often the model's scores agreed with moderators' decisions lately."""

    since: datetime
    active: VersionRow | None
    scored: int
    agreed: int
    would_hold: int
    held_rejected: int
    would_pass: int
    passed_approved: int

    @property
    def rate(self) -> float | None:
        return self.agreed / self.scored if self.scored else None

    @property
    def rate_text(self) -> str:
        return _percent(self.rate)


_VERSION_FIELDS = (
    "pk",
    "created_at",
    "trained_by__display_name",
    "source",
    "decisions_from",
    "decisions_until",
    "metrics",
    "mode",
    "threshold",
    "is_active",
    "activated_at",
    "previous_id",
)


def _version_row(values: dict[str, Any]) -> VersionRow:
    metrics = values["metrics"] or {}
    training = metrics.get("training") or {}
    return VersionRow(
        pk=values["pk"],
        created_at=values["created_at"],
        trained_by=values["trained_by__display_name"] or _("the system"),
        source=values["source"],
        source_label=str(ModelSource(values["source"]).label),
        decisions_from=values["decisions_from"],
        decisions_until=values["decisions_until"],
        examples=int(training.get("examples") or 0),
        held_out=int(metrics.get("held_out") or 0),
        f1=metrics.get("f1"),
        mode=values["mode"],
        mode_label=str(ModelMode(values["mode"]).label),
        threshold=values["threshold"],
        is_active=values["is_active"],
        activated_at=values["activated_at"],
        previous_id=values["previous_id"],
    )


def model_versions(*, limit: int = 50) -> list[VersionRow]:
    """The latest versions, newest first (the model itself is not read)."""
    return [
        _version_row(values)
        for values in ModelVersion.objects.order_by("-created_at", "-id").values(*_VERSION_FIELDS)[
            :limit
        ]
    ]


def active_version_row() -> VersionRow | None:
    values = ModelVersion.objects.filter(is_active=True).values(*_VERSION_FIELDS).first()
    return _version_row(values) if values else None


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _changes(metrics: dict[str, Any], settings_now: dict[str, Any]) -> list[Change]:
    """This version against the one active when it was trained, both measured on
    this version's held-out decisions at the same threshold."""
    before = metrics.get("previous")
    if not before:
        return []
    rows = [
        Change(
            _("Precision"), _percent(before.get("precision")), _percent(metrics.get("precision"))
        ),
        Change(_("Recall"), _percent(before.get("recall")), _percent(metrics.get("recall"))),
        Change(_("F1"), _percent(before.get("f1")), _percent(metrics.get("f1"))),
        Change(
            _("Average precision"),
            f"{before.get('average_precision') or 0:.2f}",
            f"{metrics.get('average_precision') or 0:.2f}",
        ),
        Change(
            _("Brier score (lower is better)"),
            f"{before.get('brier') or 0:.3f}",
            f"{metrics.get('brier') or 0:.3f}",
        ),
    ]
    training = metrics.get("training") or {}
    if before.get("examples") is not None:
        rows.append(
            Change(
                _("Comments learned from"),
                f"{before['examples']:,}",
                f"{training.get('examples', 0):,}",
            )
        )
    if before.get("features") is not None:
        rows.append(
            Change(_("Features"), f"{before['features']:,}", f"{training.get('features', 0):,}")
        )
    none = pgettext_lazy("no reasons", "none")
    old_reasons = ", ".join(before.get("reasons_scored") or []) or str(none)
    new_reasons = ", ".join(training.get("reasons_scored") or []) or str(none)
    if old_reasons != new_reasons:
        rows.append(Change(_("Reasons with a score of their own"), old_reasons, new_reasons))
    old_settings = before.get("settings") or {}
    for key in sorted(set(old_settings) | set(settings_now)):
        if key != "seed" and old_settings.get(key) != settings_now.get(key):
            rows.append(
                Change(
                    _("Setting “%(name)s”") % {"name": key},
                    str(old_settings.get(key, "—")),
                    str(settings_now.get(key, "—")),
                )
            )
    rows.append(
        Change(
            _("Held-out comments it decides differently"),
            "",
            _("%(held)s now held, %(passed)s now passed")
            % {"held": before.get("now_held", 0), "passed": before.get("now_passed", 0)},
        )
    )
    return rows


def model_evaluation(*, pk: int) -> ModelEvaluation | None:
    """The evaluation page's figures for version `pk`, recomputed at its threshold
    from the held-out scores stored with it."""
    found = (
        ModelVersion.objects.filter(pk=pk)
        .values(*_VERSION_FIELDS, "holdout", "training_settings")
        .first()
    )
    if found is None:
        return None
    row = _version_row(found)
    metrics: dict[str, Any] = found["metrics"] or {}
    holdout: dict[str, Any] = found["holdout"] or {}
    scores = [float(s) for s in holdout.get("scores") or []]
    bad = [label != OK for label in holdout.get("labels") or []]
    languages = list(holdout.get("languages") or [])
    threshold = float(row.threshold)
    by_language = confusion_by_language(scores, bad, languages, threshold)
    held_from = metrics.get("held_out_from")
    training = metrics.get("training") or {}
    return ModelEvaluation(
        version=row,
        threshold=threshold,
        confusion=confusion(scores, bad, threshold),
        held_out=len(scores),
        held_out_rejected=sum(bad),
        held_out_from=datetime.fromisoformat(held_from) if held_from else None,
        average_precision=float(metrics.get("average_precision") or 0),
        brier=float(metrics.get("brier") or 0),
        baseline_brier=float(metrics.get("baseline_brier") or 0),
        calibration_error=float(metrics.get("calibration_error") or 0),
        macro_f1=float(metrics.get("macro_f1") or 0),
        baseline_macro_f1=float(metrics.get("baseline_macro_f1") or 0),
        reason_macro_f1=float(metrics.get("reason_macro_f1") or 0),
        baseline_reason_macro_f1=float(metrics.get("baseline_reason_macro_f1") or 0),
        curve=[(float(t), float(p), float(r)) for t, p, r in metrics.get("curve") or []],
        languages=[
            LanguageRow(code, str(LANGUAGE_NAMES.get(code, label)), by_language[code])
            for code, label in LANGUAGES.items()
        ],
        reasons_scored=[scoring.reason_label(r) for r in training.get("reasons_scored") or []],
        features=int(training.get("features") or 0),
        previous=(metrics.get("previous") or {}).get("version"),
        changes=_changes(metrics, found["training_settings"] or {}),
    )


def _model_hit(hits: list[dict[str, Any]]) -> dict[str, Any] | None:
    for hit in hits:
        if hit.get("code") in MODEL_CODES and isinstance(hit.get("score"), int | float):
            return hit
    return None


def scored_decisions(*, since: datetime | None = None, scan: int = 2000) -> list[ScoredDecision]:
    """Moderators' latest decisions on comments the model scored, newest first:
    the last `scan` decisions on scored comments (since `since`), one per comment."""
    qs = ModerationAction.objects.filter(
        action__in=DECISION_CODES, actor__isnull=False, comment__isnull=False
    ).filter(
        Q(comment__hold_reasons__contains=[{"code": MODEL_CODES[0]}])
        | Q(comment__hold_reasons__contains=[{"code": MODEL_CODES[1]}])
    )
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    rows = qs.select_related("actor", "comment", "comment__author").order_by("-created_at", "-id")[
        :scan
    ]
    seen: set[int] = set()
    out: list[ScoredDecision] = []
    action_labels = {code: str(label) for code, label in ActionCode.choices}
    reason_labels = {code: str(label) for code, label in ReasonCategory.choices}
    for action in rows:
        comment = action.comment
        assert comment is not None and action.actor is not None
        if comment.pk in seen:
            continue
        seen.add(comment.pk)
        hit = _model_hit(comment.hold_reasons)
        if hit is None:
            continue
        score = float(hit["score"])
        threshold = float(hit.get("threshold") or 0.5)
        rejected = action.action not in _KEPT_CODES
        decision = action_labels.get(action.action, action.action)
        if rejected and action.reason in ReasonCategory.values:
            decision += f": {reason_labels[action.reason]}"
        out.append(
            ScoredDecision(
                comment_id=comment.pk,
                excerpt=Truncator(comment.body).words(30),
                author=comment.author.display_name,
                score=score,
                threshold=threshold,
                version=hit.get("version") if isinstance(hit.get("version"), int) else None,
                model_held=score >= threshold,
                rejected=rejected,
                decision=decision,
                moderator=action.actor.display_name,
                decided_at=action.created_at,
            )
        )
    return out


def model_disagreements(*, limit: int = 20) -> list[ScoredDecision]:
    """The latest decisions that went against the model's score: what it would
    have held and moderators kept, or passed and moderators took down."""
    return [d for d in scored_decisions(scan=1000) if not d.agrees][:limit]


def model_agreement(*, now: datetime | None = None, days: int = 30) -> ModelAgreement:
    """The dashboard's figures: over the decisions of the last `days` days on scored
    comments, how often the model's side of its threshold matched the decision."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    decided = scored_decisions(since=since)
    held = [d for d in decided if d.model_held]
    passed = [d for d in decided if not d.model_held]
    return ModelAgreement(
        since=since,
        active=active_version_row(),
        scored=len(decided),
        agreed=sum(1 for d in decided if d.agrees),
        would_hold=len(held),
        held_rejected=sum(1 for d in held if d.rejected),
        would_pass=len(passed),
        passed_approved=sum(1 for d in passed if not d.rejected),
    )
