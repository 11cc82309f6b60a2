"""Reads for the moderation pages: the queue, the author's record, a user's page,
the audit log and the dashboard. Each page costs a fixed number of queries,
however many items it shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts.models import User
from comments.models import Comment, CommentStatus
from moderation import rules
from moderation.models import DECISION_CODES, ModerationAction, Report, ReportReason, Sanction

PAGE_SIZE = 25

TABS: dict[str, str] = {
    "pending": "Pending",
    "reported": "Reported",
    "approved": "Approved",
    "rejected": "Rejected and removed",
    "all": "All",
}

# The reason filter: every screening rule, then every report reason.
REASONS: list[tuple[str, str]] = [
    *rules.CODES.items(),
    *((f"report:{value}", f"Reported: {label}") for value, label in ReportReason.choices),
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
    stamp, _, pk = (raw or "").rpartition("_")
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

    @property
    def pk(self) -> int:
        return self.comment.pk


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
    items = [
        QueueItem(
            comment=c,
            record=records.get(c.author_id, AuthorRecord()),
            highlighted=highlight_body(c.body, c.hold_reasons),
            hits=labelled_hits(c.hold_reasons),
            open_reports=reports[c.pk],
            open_weight=sum((r.weight for r in reports[c.pk]), Decimal("0")),
        )
        for c in rows
    ]
    return items, (encode_cursor(rows[-1]) if more and rows else "")


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


def labelled_hits(hits: list[dict[str, Any]]) -> list[LabelledHit]:
    """Stored hits (comment.hold_reasons) with the label of their rule."""
    out = []
    for hit in hits:
        code = str(hit.get("code", ""))
        out.append(
            LabelledHit(
                code=code,
                label=rules.CODES.get(code, code),
                action=str(hit.get("action", "")),
                match=str(hit.get("match") or ""),
                detail=str(hit.get("detail") or ""),
            )
        )
    return out


def highlight_body(body: str, hits: list[dict[str, Any]]) -> SafeString:
    """The comment as typed, escaped, with every matched span of every hit marked,
    paragraphs kept, and text direction left to the browser."""
    text = str(escape(body))
    matches = sorted({escape(h.get("match") or "") for h in hits} - {""}, key=len, reverse=True)
    if matches:
        pattern = re.compile("|".join(re.escape(m) for m in matches), re.IGNORECASE)
        text = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", text)
    paragraphs = [p.replace("\n", "<br>") for p in re.split(r"\n{2,}", text) if p.strip()]
    return mark_safe("".join(f"<p>{p}</p>" for p in paragraphs))  # noqa: S308


# ---------------------------------------------------------------- user page


def user_comments(*, user: User, limit: int = 200) -> list[Comment]:
    return list(
        Comment.objects.filter(author=user)
        .select_related("article")
        .order_by("-created_at", "-id")[:limit]
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


def audit_page(query: AuditQuery, *, page_size: int = 50) -> tuple[list[ModerationAction], str]:
    qs = audit_queryset(query)
    if query.before:
        when, ident = query.before
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=ident))
    rows = list(qs[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    cursor = f"{rows[-1].created_at.isoformat()}_{rows[-1].pk}" if more and rows else ""
    return rows, cursor


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
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    shown = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n][:2]
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
    return Dashboard(
        counts=tab_counts(),
        per_moderator=per_moderator,
        median_today=_median_decision_time(since=today),
        median_week=_median_decision_time(since=week),
        oldest_pending=oldest,
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
