from django.urls import path

from articles import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("section/<slug:slug>/rss/", feeds.LatestArticlesFeed(), name="section_rss"),
    path("section/<slug:slug>/atom/", feeds.LatestArticlesAtomFeed(), name="section_atom"),
    path("search/", views.search, name="search"),
    path("feeds/rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("feeds/atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
]
