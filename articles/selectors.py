from __future__ import annotations

import operator
import re
import unicodedata
from datetime import datetime
from functools import reduce
from typing import TypedDict

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from articles.models import Article, ArticleEvent, ArticleStatus, Section

MAX_QUERY_LENGTH = 200
# Plain markers around matches; the `highlight` filter escapes the snippet and only
# then turns these into <mark>, so article text can never inject markup.
HIGHLIGHT_START = "\u27e6"
HIGHLIGHT_STOP = "\u27e7"


def article_list(
    *, section: Section | None = None, now: datetime | None = None
) -> QuerySet[Article]:
    qs = Article.objects.published(now).select_related("section")
    if section is not None:
        qs = qs.filter(section=section)
    return qs.latest_first()


def clean_query(raw: str) -> str:
    """Search text as typed, minus control characters, trimmed to a sane length."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# Query text that asks for websearch syntax: a quoted phrase, an exclusion, an "or".
_OPERATORS = re.compile(r"[\"]|(^|\s)-\w|\bor\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")
MAX_QUERY_WORDS = 16


def article_search(query: str, *, now: datetime | None = None) -> QuerySet[Article]:
    """Published articles matching the query, best first, with a highlighted snippet.

    English stemming ("inquiries" finds "inquiry"); the title weighs most, then the
    standfirst, then the body. Plain words find pieces with any of them and put those
    with all of them first; quotes, -word and "or" use PostgreSQL's websearch syntax.
    Any text is safe here: websearch_to_tsquery never fails on syntax.
    """
    every = SearchQuery(query, search_type="websearch", config="english")
    words = _WORD.findall(query)[:MAX_QUERY_WORDS]
    if words and not _OPERATORS.search(query):
        match = reduce(
            operator.or_, (SearchQuery(w, search_type="plain", config="english") for w in words)
        )
    else:
        match = every
    return (
        Article.objects.published(now)
        .filter(search_vector=match)
        .select_related("section")
        .annotate(
            rank=SearchRank(F("search_vector"), every) * 4 + SearchRank(F("search_vector"), match),
            snippet=SearchHeadline(
                Concat("standfirst", Value(" — "), "body", output_field=TextField()),
                match,
                config="english",
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
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
) -> QuerySet[Article]:
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


def article_events(*, article: Article) -> QuerySet[ArticleEvent]:
    return article.events.select_related("actor").order_by("-created_at", "-id")


class DeskAuthor(TypedDict):
    id: int
    name: str


def desk_authors() -> list[DeskAuthor]:
    """The people who have written articles, for the desk's author filter."""
    rows = (
        Article.objects.values("author_id", "author__display_name")
        .distinct()
        .order_by("author__display_name", "author_id")
    )
    return [{"id": r["author_id"], "name": r["author__display_name"]} for r in rows]
