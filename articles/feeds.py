"""RSS and Atom feeds of the latest published articles, site-wide and per section.

Only what `Article.objects.published()` returns: drafts and scheduled pieces never
leak into a feed. Links are absolute, built from the request's own host.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles import selectors
from articles.models import Article, Section

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    # Set on the per-request copy that __call__ makes; never on the shared instance.
    request: HttpRequest

    # A feed is read, never written: GET and HEAD only, as on every read-only page.
    @method_decorator(require_safe)
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The URLconf holds one instance for every request: work on a copy that knows
        # this request, so absolute links use the host the reader asked for.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def _absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Section | None:
        return get_object_or_404(Section, slug=slug) if slug else None

    def title(self, obj: Section | None) -> str:
        return f"{settings.SITE_NAME}: {obj.name}" if obj else settings.SITE_NAME

    def description(self, obj: Section | None) -> str:
        if obj and obj.description:
            return obj.description
        return _("Reporting and debate on harassment, power and accountability.")

    subtitle = description

    def link(self, obj: Section | None) -> str:
        return self._absolute(obj.get_absolute_url() if obj else reverse("articles:home"))

    def feed_url(self, obj: Section | None) -> str:
        return self._absolute(self.request.path)

    def items(self, obj: Section | None) -> QuerySet[Article]:
        return selectors.article_list(section=obj)[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.standfirst or item.title

    def item_link(self, item: Article) -> str:
        return self._absolute(item.get_absolute_url())

    def item_guid(self, item: Article) -> str:
        return self.item_link(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.content_updated_at or item.published_at

    def item_author_name(self, item: Article) -> str:
        return item.byline

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
