"""Every write to articles: creating, editing, publishing, scheduling, unpublishing.

Views, the demo loader and commands call these; each one checks the actor's permission,
runs in a transaction, and writes an ArticleEvent row (who, when, what changed).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from articles.models import Article, ArticleEvent, ArticleStatus, CommentsMode, Section
from articles.search import folded
from core.languages import language_of
from core.script import isolate

if TYPE_CHECKING:
    # The project's user model (AUTH_USER_MODEL), as django-stubs resolves it: articles
    # imports no other app, so not accounts.models. Only in annotations; not at runtime.
    from django.contrib.auth.models import _User as User

# Raw HTML in the Markdown is parsed and then sanitised by nh3 (not shown as text), so
# an editor's <em> works and anything hostile is removed rather than displayed.
_md = MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")

_ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol",
    "li", "blockquote", "code", "pre", "img", "table", "thead", "tbody", "tr", "th", "td", "bdi",
}  # fmt: skip
_ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


class ArticleError(Exception):
    """An article change that cannot be made; the message says why."""


def _outline_headings(tokens: list[Any]) -> None:
    """Renumber the body's headings as an outline under the headline: the first is an
    <h2>, and each one is at most one level below the heading it sits under, keeping
    the nesting the editor wrote (`##` then `####` becomes h2 then h3), so assistive
    technology never meets a skipped level (WCAG 1.3.1, Lighthouse `heading-order`)."""
    open_levels: list[tuple[int, int]] = []  # (written level, level given), outermost first
    given = 2
    for token in tokens:
        if token.type == "heading_open":
            written = int(token.tag[1])
            while open_levels and open_levels[-1][0] >= written:
                open_levels.pop()
            given = min(open_levels[-1][1] + 1 if open_levels else 2, 6)
            open_levels.append((written, given))
            token.tag = f"h{given}"
        elif token.type == "heading_close":
            token.tag = f"h{given}"


def render_markdown(body: str) -> str:
    """Markdown to HTML that is safe to show: markdown-it renders, nh3 sanitises.

    Headings sit below the page's only <h1> (the headline) without skipping a level
    (`_outline_headings`). What survives:
    headings, emphasis, links (http, https, mailto; rel="noopener", same window), lists,
    quotes, code, tables and images by http(s) URL. Scripts, styles, event handlers,
    iframes, forms, SVG and javascript:/data:/vbscript: URLs are removed.
    """
    tokens = _md.parse(body)
    _outline_headings(tokens)
    html = _md.renderer.render(tokens, _md.options, {})
    # Numbers and @names isolated after sanitising, so their order survives in
    # right-to-left text (core.script.isolate; nh3 does not know <bdi>).
    return isolate(_clean(html))


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
        clean_content_tags={
            "script",
            "style",
            "iframe",
            "noscript",
            "svg",
            "math",
            "template",
            "object",
            "embed",
            "textarea",
            "select",
            "option",
            "title",
        },
        strip_comments=True,
    )


# Fields an edit may change; their before/after go into the article log.
EDITABLE_FIELDS = (
    "title",
    "standfirst",
    "body",
    "section",
    "byline",
    "slug",
    "comments_mode",
    "comments_close_after_days",
)
# Changes to these are what readers see as "Updated ..." on a published piece.
CONTENT_FIELDS = {"title", "standfirst", "body"}


def slug_from_title(title: str, *, exclude_pk: int | None = None) -> str:
    """A free slug made from the title: "metoo-in-pakistan", "metoo-in-pakistan-2" ..."""
    base = slugify(title)[:100].strip("-") or "article"
    taken = Article.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    used = set(taken.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in used:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _check_slug(slug: str, *, exclude_pk: int | None) -> str:
    slug = slug.strip().lower()
    try:
        validate_slug(slug)
    except ValidationError as exc:
        raise ArticleError(_("A slug is letters, numbers, hyphens and underscores.")) from exc
    # The model field always sets one; Django types max_length as optional.
    max_length = Article._meta.get_field("slug").max_length
    if max_length is not None and len(slug) > max_length:
        raise ArticleError(_("That slug is too long."))
    others = Article.objects.all() if exclude_pk is None else Article.objects.exclude(pk=exclude_pk)
    if others.filter(slug=slug).exists():
        raise ArticleError(_("The slug “%(slug)s” is taken by another article.") % {"slug": slug})
    return slug


def _refresh_search_vector(article_id: int) -> None:
    """The search index of the article: English stemming, over the texts with their
    Arabic-script letters folded (articles.selectors.folded, as the query is)."""
    Article.objects.filter(pk=article_id).update(
        search_vector=SearchVector(folded("title"), weight="A", config="english")
        + SearchVector(folded("standfirst"), weight="B", config="english")
        + SearchVector(folded("body"), weight="C", config="english")
    )


LANGUAGE_FIELDS = ("title_lang", "standfirst_lang", "body_lang", "language")


def _set_languages(article: Article) -> list[str]:
    """Each text's language by its dominant script, and the piece's from all three
    (core.languages); the names of the fields set."""
    article.title_lang = language_of(article.title)
    article.standfirst_lang = language_of(article.standfirst)
    article.body_lang = language_of(article.body)
    article.language = language_of("\n".join((article.title, article.standfirst, article.body)))
    return list(LANGUAGE_FIELDS)


def _require(user: User, perm: str) -> None:
    if not (user and user.is_authenticated and user.has_perm(perm)):
        raise PermissionDenied("Only editors can change articles.")


def _close_at(article: Article) -> datetime | None:
    """When comments close: publication time plus the article's (or the site's) days."""
    if article.published_at is None:
        return None
    days = article.comments_close_after_days
    if days is None:
        days = settings.COMMENTS_CLOSE_AFTER_DAYS
    return article.published_at + timedelta(days=days) if days else None


# The article log's `changes`: {"field": {"before": ..., "after": ...}}, JSON values.
Changes = dict[str, dict[str, object]]


def _log(
    *, article: Article, by: User, action: str, changes: Changes, now: datetime
) -> ArticleEvent:
    return ArticleEvent.objects.create(
        article=article, actor=by, action=action, changes=changes, created_at=now
    )


def _jsonable(value: object) -> object:
    if isinstance(value, Section):
        return value.name
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def article_create(
    *,
    by: User,
    title: str,
    section: Section,
    body: str = "",
    standfirst: str = "",
    byline: str = "",
    slug: str = "",
    comments_mode: str | None = None,
    comments_close_after_days: int | None = None,
    now: datetime | None = None,
) -> Article:
    """Create a draft. The slug is made from the title unless one is given; the comment
    mode defaults to the section's."""
    _require(by, "articles.add_article")
    now = now or timezone.now()
    title = title.strip()
    if not title:
        raise ArticleError(_("An article needs a title."))
    if comments_mode is not None and comments_mode not in CommentsMode.values:
        raise ArticleError(_("Unknown comment mode."))
    with transaction.atomic():
        slug = _check_slug(slug, exclude_pk=None) if slug.strip() else slug_from_title(title)
        article = Article(
            title=title,
            slug=slug,
            standfirst=standfirst.strip(),
            body=body,
            body_html=render_markdown(body),
            author=by,
            byline=byline.strip() or by.display_name,
            section=section,
            status=ArticleStatus.DRAFT,
            comments_mode=comments_mode or section.default_comments_mode,
            comments_close_after_days=comments_close_after_days,
            created_at=now,
            updated_at=now,
        )
        _set_languages(article)
        article.save(force_insert=True)
        _refresh_search_vector(article.pk)
        _log(
            article=article,
            by=by,
            action="article.created",
            changes={
                "title": {"before": None, "after": title},
                "slug": {"before": None, "after": slug},
            },
            now=now,
        )
    return article


def article_update(
    *, article: Article, by: User, changes: dict[str, Any], now: datetime | None = None
) -> Article:
    """Edit an article's fields (any of EDITABLE_FIELDS). Re-renders the body, keeps the
    search index fresh, refuses a new slug once the piece is published or scheduled, and
    marks a live piece "Updated" when its words change. Logs before and after."""
    _require(by, "articles.change_article")
    now = now or timezone.now()
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ArticleError(
            _("These fields cannot be edited: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        new = dict(changes)
        if "title" in new:
            new["title"] = new["title"].strip()
            if not new["title"]:
                raise ArticleError(_("An article needs a title."))
        if "standfirst" in new:
            new["standfirst"] = new["standfirst"].strip()
        if "byline" in new:
            new["byline"] = new["byline"].strip() or article.byline
        if "comments_mode" in new and new["comments_mode"] not in CommentsMode.values:
            raise ArticleError(_("Unknown comment mode."))
        if "slug" in new:
            new["slug"] = new["slug"].strip().lower() or article.slug
            if new["slug"] != article.slug:
                if article.slug_frozen:
                    raise ArticleError(
                        _("The slug cannot change once the article is published or scheduled.")
                    )
                new["slug"] = _check_slug(new["slug"], exclude_pk=article.pk)
        diff: Changes = {}
        for field, value in new.items():
            before = getattr(article, field)
            if before != value:
                diff[field] = {"before": _jsonable(before), "after": _jsonable(value)}
                setattr(article, field, value)
        if not diff:
            return article
        fields = [*diff.keys(), "updated_at"]
        if "section" in fields:
            fields.remove("section")
            fields.append("section_id")
        article.updated_at = now
        if "body" in diff:
            article.body_html = render_markdown(article.body)
            fields.append("body_html")
        if CONTENT_FIELDS & diff.keys():
            fields.extend(_set_languages(article))
        if CONTENT_FIELDS & diff.keys() and article.is_visible(now):
            article.content_updated_at = now
            fields.append("content_updated_at")
        if "comments_close_after_days" in diff and article.status == ArticleStatus.PUBLISHED:
            article.comments_close_at = _close_at(article)
            fields.append("comments_close_at")
        article.save(update_fields=fields)
        _refresh_search_vector(article.pk)
        _log(article=article, by=by, action="article.edited", changes=diff, now=now)
    return article


def article_publish(
    *, article: Article, by: User, at: datetime | None = None, now: datetime | None = None
) -> Article:
    """Publish now, or schedule for `at`: a future time makes the piece appear by itself
    then (no job runs; `Article.objects.published()` compares with the clock). A time
    already past publishes with that time. Refuses a piece that is already live."""
    _require(by, "articles.publish_article")
    now = now or timezone.now()
    when = at or now
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.is_visible(now):
            raise ArticleError(_("The article is already published."))
        before = _jsonable(article.published_at) if article.status == "published" else None
        article.status = ArticleStatus.PUBLISHED
        article.published_at = when
        article.updated_at = now
        article.comments_close_at = _close_at(article)
        article.save(update_fields=["status", "published_at", "updated_at", "comments_close_at"])
        action = "article.scheduled" if when > now else "article.published"
        _log(
            article=article,
            by=by,
            action=action,
            changes={"published_at": {"before": before, "after": when.isoformat()}},
            now=now,
        )
    return article


def article_unpublish(*, article: Article, by: User, now: datetime | None = None) -> Article:
    """Take a published or scheduled piece back to draft: readers get 404 again. A piece
    that never went live forgets its scheduled time (and so its slug is free again)."""
    _require(by, "articles.publish_article")
    now = now or timezone.now()
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.status != ArticleStatus.PUBLISHED:
            raise ArticleError(_("The article is not published or scheduled."))
        was = article.published_at
        article.status = ArticleStatus.DRAFT
        if was is not None and was > now:
            article.published_at = None
        article.updated_at = now
        article.save(update_fields=["status", "published_at", "updated_at"])
        _log(
            article=article,
            by=by,
            action="article.unpublished",
            changes={"published_at": {"before": _jsonable(was), "after": None}},
            now=now,
        )
    return article
