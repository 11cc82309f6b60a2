from __future__ import annotations

import unicodedata
from datetime import datetime

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, QuerySet

from articles.models import Article, Section

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
