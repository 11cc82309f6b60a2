"""sitemap.xml: the front page, every section and every published article."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.models import Article, Section


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return Article.objects.published().select_related(None).latest_first()

    def lastmod(self, item: Article):
        return item.content_updated_at or item.published_at


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.6

    def items(self):
        return Section.objects.order_by("position", "id")


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}
