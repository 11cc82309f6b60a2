from django.http import HttpResponse
from django.urls import include, path
from newsroom.views import ArticleDetailView


def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("articles/<slug:slug>/", ArticleDetailView.as_view(), name="article-detail"),
    path("comments/", include("django_comments_xtd.urls")),
]
