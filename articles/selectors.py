from __future__ import annotations

import unicodedata
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from articles.models import Article, ArticleStatus, Section

MAX_QUERY_LENGTH = 200
# Plain markers around matches; the `highlight` filter escapes the snippet and only
# then turns these into <mark>, so article text can never inject markup.
HIGHLIGHT_START = "\u27e6"
HIGHLIGHT_STOP = "\u27e7"


def article_list(*, section: Section | None = None, now: datetime | None = None) -> QuerySet:
    qs = Article.objects.published(now).select_related("section")
    if section is not None:
        qs = qs.filter(section=section)
    return qs.latest_first()


def clean_query(raw: str) -> str:
    """Search text as typed, minus control characters, trimmed to a sane length."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def article_search(query: str, *, now: datetime | None = None) -> QuerySet:
    sq = SearchQuery(query, search_type="websearch", config="english")
    return (
        Article.objects.published(now)
        .filter(search_vector=sq)
        .select_related("section")
        .annotate(
            rank=SearchRank(F("search_vector"), sq),
            snippet=SearchHeadline(
                "body",
                sq,
                config="english",
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_words=35,
                min_words=15,
            ),
        )
        .order_by("-rank", "-published_at", "-id")
    )


class DeskView:
    """The desk's tabs: which articles each one lists, in which order."""

    DRAFTS = "drafts"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CHOICES = [(DRAFTS, "Drafts"), (SCHEDULED, "Scheduled"), (PUBLISHED, "Published")]


def desk_article_list(
    *,
    view: str = DeskView.DRAFTS,
    query: str = "",
    section_id: int | None = None,
    author_id: int | None = None,
    now: datetime | None = None,
) -> QuerySet:
    """Articles for the editor desk, with published and pending comment counts.

    Each tab is ordered along an index: drafts by last change, scheduled by the time
    they will appear (soonest first), published by publication time (latest first).
    """
    now = now or timezone.now()
    qs = Article.objects.select_related("section", "author")
    if view == DeskView.SCHEDULED:
        qs = qs.filter(status=ArticleStatus.PUBLISHED, published_at__gt=now).order_by(
            "published_at", "id"
        )
    elif view == DeskView.PUBLISHED:
        qs = qs.published(now).order_by("-published_at", "-id")
    else:
        qs = qs.filter(status=ArticleStatus.DRAFT).order_by("-updated_at", "-id")
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(slug__icontains=query))
    if section_id:
        qs = qs.filter(section_id=section_id)
    if author_id:
        qs = qs.filter(author_id=author_id)
    # String statuses: articles knows comments only through the reverse relation.
    return qs.annotate(
        published_comments=Count("comments", filter=Q(comments__status="published")),
        pending_comments=Count("comments", filter=Q(comments__status="pending")),
    )


def desk_counts(*, now: datetime | None = None) -> dict[str, int]:
    """How many articles each desk tab holds."""
    now = now or timezone.now()
    return Article.objects.aggregate(
        drafts=Count("id", filter=Q(status=ArticleStatus.DRAFT)),
        scheduled=Count("id", filter=Q(status=ArticleStatus.PUBLISHED, published_at__gt=now)),
        published=Count("id", filter=Q(status=ArticleStatus.PUBLISHED, published_at__lte=now)),
    )


def article_events(*, article: Article) -> QuerySet:
    return article.events.select_related("actor").order_by("-created_at", "-id")


def desk_authors() -> list[dict]:
    """The people who have written articles, for the desk's author filter."""
    rows = (
        Article.objects.values("author_id", "author__display_name")
        .distinct()
        .order_by("author__display_name", "author_id")
    )
    return [{"id": r["author_id"], "name": r["author__display_name"]} for r in rows]
