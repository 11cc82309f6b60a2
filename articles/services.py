"""Every write to articles: creating, editing, publishing. Views and commands call these."""

from __future__ import annotations

from datetime import datetime, timedelta

import nh3
from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from markdown_it import MarkdownIt

from articles.models import Article, ArticleStatus, CommentsMode, Section

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

_ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "a", "ul", "ol",
    "li", "blockquote", "code", "pre", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


class ArticleError(Exception):
    """An article change that cannot be made; the message says why."""


def render_markdown(body: str) -> str:
    """Markdown to HTML that is safe to show: markdown-it renders, nh3 sanitises."""
    html = _md.render(body)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "article"
    slug, n = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _refresh_search_vector(article_id: int) -> None:
    Article.objects.filter(pk=article_id).update(
        search_vector=SearchVector("title", weight="A", config="english")
        + SearchVector("standfirst", weight="B", config="english")
        + SearchVector("body", weight="C", config="english")
    )


def _require_editor(user) -> None:
    if not (user and user.is_authenticated and user.has_perm("articles.publish_article")):
        raise PermissionDenied("Only editors can change articles.")


def article_create(
    *,
    by,
    title: str,
    section: Section,
    body: str = "",
    standfirst: str = "",
    byline: str = "",
    slug: str = "",
    comments_mode: str | None = None,
    now: datetime | None = None,
) -> Article:
    """Create a draft article."""
    _require_editor(by)
    now = now or timezone.now()
    title = title.strip()
    if not title:
        raise ArticleError("An article needs a title.")
    with transaction.atomic():
        article = Article.objects.create(
            title=title,
            slug=slug or _unique_slug(title),
            standfirst=standfirst.strip(),
            body=body,
            body_html=render_markdown(body),
            author=by,
            byline=byline or by.display_name,
            section=section,
            status=ArticleStatus.DRAFT,
            comments_mode=comments_mode or section.default_comments_mode,
            created_at=now,
            updated_at=now,
        )
        _refresh_search_vector(article.pk)
    return article


def article_publish(
    *, article: Article, by, at: datetime | None = None, now: datetime | None = None
) -> Article:
    """Publish now, or schedule for `at` (a future time: it appears by itself)."""
    _require_editor(by)
    now = now or timezone.now()
    when = at or now
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        article.status = ArticleStatus.PUBLISHED
        article.published_at = when
        article.updated_at = now
        if article.comments_close_at is None and article.comments_mode != CommentsMode.CLOSED:
            days = settings.COMMENTS_CLOSE_AFTER_DAYS
            if days:
                article.comments_close_at = when + timedelta(days=days)
        article.save(update_fields=["status", "published_at", "updated_at", "comments_close_at"])
    return article
