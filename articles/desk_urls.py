from django.urls import path

from articles import desk

app_name = "desk"

urlpatterns = [
    path("", desk.article_list, name="list"),
    path("new/", desk.article_new, name="new"),
    path("preview/", desk.preview, name="preview"),
    path("<int:pk>/", desk.article_edit, name="edit"),
    path("<int:pk>/publish/", desk.publish, name="publish"),
    path("<int:pk>/schedule/", desk.schedule, name="schedule"),
    path("<int:pk>/unpublish/", desk.unpublish, name="unpublish"),
]
