from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from articles.sitemaps import SITEMAPS
from comments import views as comment_views
from metoo_site import views

urlpatterns = [
    path("", include("articles.urls")),
    # The article page belongs to comments: it is the comment section with its article.
    path("articles/<slug:slug>/", comment_views.article_detail, name="article"),
    path("articles/<slug:slug>/all/", comment_views.article_all, name="article_all"),
    path("desk/", include("articles.desk_urls")),
    path("comments/", include("comments.urls")),
    path("moderation/", include("moderation.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler403 = "metoo_site.views.error_403"
handler404 = "metoo_site.views.error_404"
handler500 = "metoo_site.views.error_500"
# Not Django's: allauth answers its rate limits with this view (the wait on the page).
handler429 = "accounts.adapter.rate_limited"
