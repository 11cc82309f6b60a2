from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from typing import TypedDict

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import Count, F, Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import (
    Article,
    ArticleEvent,
    ArticleStatus,
    Person,
    PersonRole,
    PersonVariant,
    Section,
)
from articles.search import fold_arabic, folded, unfold_snippet

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


SNIPPET_JOIN = " — "
SNIPPET_DELIMITER = " … "


def search_snippet(article: Article) -> str:
    """The search result's snippet (from `article_search`) in the article's own
    letters, with the match markers: PostgreSQL cut it from the folded text."""
    snippet: str = getattr(article, "snippet", "") or ""
    source: str = getattr(article, "search_source", "") or ""
    return unfold_snippet(
        snippet,
        source,
        delimiter=SNIPPET_DELIMITER,
        markers=(HIGHLIGHT_START, HIGHLIGHT_STOP),
    )


def article_search(query: str, *, now: datetime | None = None) -> QuerySet[Article]:
    """Published articles matching the query, best first, with a highlighted snippet.

    English stemming ("inquiries" finds "inquiry"); the title weighs most, then the
    standfirst, then the body. Plain words find pieces with any of them and put those
    with all of them first; quotes, -word and "or" use PostgreSQL's websearch syntax.
    Any text is safe here: websearch_to_tsquery never fails on syntax.

    Urdu is found however its letters were typed: the query and the index are folded
    alike (articles.search), and the snippet is cut from the folded text, so a
    highlight always covers whole words.
    """
    query = fold_arabic(query)
    every = SearchQuery(query, search_type="websearch", config="english")
    source = Concat("standfirst", Value(SNIPPET_JOIN), "body", output_field=TextField())
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
            search_source=source,
            snippet=SearchHeadline(
                folded(source),
                match,
                config="english",
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=SNIPPET_DELIMITER,
            ),
        )
        .order_by("-rank", "-published_at", "-id")
    )


class DeskView:
    """The desk's tabs: which articles each one lists, in which order."""

    DRAFTS = "drafts"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    CHOICES = [(DRAFTS, _("Drafts")), (SCHEDULED, _("Scheduled")), (PUBLISHED, _("Published"))]


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


# ---------------------------------------------------------------- people in the story
# Staff reads only: the desk (editors), screening and the moderation queue. No public
# page, feed or export reads these.


@dataclass(frozen=True)
class Spelling:
    id: int
    text: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class ListedPersonView:
    """A listed person as the desk shows them."""

    id: int
    name: str
    role: str
    role_label: str
    note: str
    created_by: str
    created_at: datetime
    variants: tuple[Spelling, ...]


def _person_views(people: QuerySet[Person]) -> list[ListedPersonView]:
    people = people.select_related("created_by").prefetch_related(
        Prefetch(
            "variants",
            queryset=PersonVariant.objects.select_related("added_by").order_by("id"),
        )
    )
    return [
        ListedPersonView(
            id=p.pk,
            name=p.name,
            role=p.role,
            role_label=str(PersonRole(p.role).label),
            note=p.note,
            created_by=p.created_by.display_name,
            created_at=p.created_at,
            variants=tuple(
                Spelling(v.pk, v.text, v.added_by.display_name, v.added_at)
                for v in p.variants.all()
            ),
        )
        for p in people
    ]


_ROLE_ORDER = {PersonRole.PROTECTED: 0, PersonRole.ACCUSED: 1, PersonRole.PUBLIC_FIGURE: 2}


def article_people(*, article: Article) -> list[ListedPersonView]:
    """The people listed for an article: protected first, then accused, then public
    figures, each by name."""
    views = _person_views(Person.objects.filter(article=article).order_by("name", "id"))
    return sorted(views, key=lambda v: _ROLE_ORDER.get(PersonRole(v.role), 9))


def site_wide_people() -> list[ListedPersonView]:
    """The site-wide protected list, by name."""
    return _person_views(Person.objects.filter(article__isnull=True).order_by("name", "id"))


def site_wide_events(*, limit: int = 100) -> QuerySet[ArticleEvent]:
    """Changes to the site-wide list, newest first."""
    return (
        ArticleEvent.objects.filter(article__isnull=True)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class ScreenedPerson:
    """A listed person as screening needs them: every spelling, the name first."""

    id: int
    name: str
    role: str
    site_wide: bool
    spellings: tuple[str, ...]


def people_to_screen(*, article_id: int | None) -> list[ScreenedPerson]:
    """The people a comment on `article_id` is screened for: the article's and the
    site-wide list (None: the site-wide list only). One query."""
    scope = Q(article__isnull=True)
    if article_id is not None:
        scope |= Q(article_id=article_id)
    rows = (
        Person.objects.filter(scope)
        .annotate(texts=ArrayAgg("variants__text", ordering="variants__id", default=[]))
        .order_by("id")
        .values_list("id", "name", "role", "article_id", "texts")
    )
    return [
        ScreenedPerson(
            id=pk,
            name=name,
            role=role,
            site_wide=owner is None,
            spellings=(name, *(t for t in texts if t)),
        )
        for pk, name, role, owner, texts in rows
    ]


@dataclass(frozen=True)
class PersonOption:
    """A person a moderator may add a spelling to, from a queue item."""

    id: int
    name: str
    role: str
    role_label: str


def people_options(*, article_ids: list[int]) -> dict[int, list[PersonOption]]:
    """The people listed for each of these articles, for the queue's add-a-spelling
    form. One query for a page of items."""
    found: dict[int, list[PersonOption]] = {}
    rows = (
        Person.objects.filter(article_id__in=sorted(set(article_ids)))
        .order_by("article_id", "name", "id")
        .values_list("article_id", "id", "name", "role")
    )
    for article_id, pk, name, role in rows:
        found.setdefault(article_id, []).append(
            PersonOption(pk, name, role, str(PersonRole(role).label))
        )
    return found


@dataclass(frozen=True)
class Suggestion:
    """A name found in an article's text that is not listed yet."""

    name: str
    count: int


# Capitalised words in a row ("Ayesha Khan", "A. Khan", "Mr Imran Ali").
_LATIN_NAME = re.compile(
    r"(?<![\w.])((?:[A-Z][a-z]+|[A-Z]\.)(?:[ \t]+(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]\.)){1,3})"
)
# Urdu has no capitals: a name follows a title or a respectful form of address.
_URDU_TITLED = re.compile(
    r"(?:محترمہ|محترم|مسٹر|ڈاکٹر|جناب|بیگم|جسٹس)\s+([\u0600-\u06ff]+(?:\s+[\u0600-\u06ff]+)?)"
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL = re.compile(r"https?://\S+")
# Capitalised words that start sentences or name places and institutions, not people.
_NOT_NAME_WORDS = """
    a an and as at but by for from he her his i if in into it its my no not of on or our
    she so that the their them then there these they this those to was we what when
    where which while who why with you after before during since until although though
    because however meanwhile also yet still pakistan pakistani lahore karachi islamabad
    peshawar quetta rawalpindi multan punjab sindh balochistan khyber pakhtunkhwa high
    supreme court courts police federal investigation agency fia nab senate national
    assembly university college school march april may june july august september
    october november december january february monday tuesday wednesday thursday friday
    saturday sunday metoo aurat twitter facebook instagram whatsapp youtube dawn geo
    news express tribune times bbc penal code section article act law ministry
    commission committee human rights islamic republic prime minister chief justice
    government province city state
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "justice", "judge", "senator", "minister"})
SUGGESTIONS_MAX = 12


def _candidate(raw: str) -> str:
    """A run of capitalised words as a name: leading titles and sentence words
    dropped; nothing when fewer than two words are left or one names a place or an
    institution."""
    words = raw.split()
    while words and (words[0].rstrip(".").lower() in _TITLES or words[0].lower() in _NOT_NAMES):
        words = words[1:]
    if len(words) < 2 or any(w.lower() in _NOT_NAMES for w in words):
        return ""
    return " ".join(words)


def person_suggestions(*, article: Article) -> list[Suggestion]:
    """Names found in the article's title, standfirst and body that are not listed
    yet, most mentioned first: for the editor to confirm, never listed by themselves."""
    text = "\n".join((article.title, article.standfirst, article.body))
    text = _URL.sub(" ", _MARKDOWN_LINK.sub(r"\1", text))
    found: dict[str, tuple[str, int, int]] = {}  # key: (as written, count, first place)

    def note(name: str, at: int) -> None:
        key = name.casefold()
        shown, count, first = found.get(key, (name, 0, at))
        found[key] = (shown, count + 1, first)

    for match in _LATIN_NAME.finditer(text):
        name = _candidate(match.group(1))
        if name:
            note(name, match.start())
    for match in _URDU_TITLED.finditer(text):
        note(match.group(1), match.start())
    listed = {
        spelling.casefold()
        for person in people_to_screen(article_id=article.pk)
        for spelling in person.spellings
    }
    ranked = sorted(
        (entry for key, entry in found.items() if key not in listed),
        key=lambda entry: (-entry[1], entry[2]),
    )
    return [Suggestion(name, count) for name, count, _ in ranked[:SUGGESTIONS_MAX]]
