from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.comment_create, name="post"),
    path("draft/<slug:slug>/", views.comment_draft, name="draft"),
    path("<int:pk>/", views.permalink, name="permalink"),
    path("<int:pk>/edit/", views.comment_update, name="edit"),
    path("<int:pk>/delete/", views.comment_delete, name="delete"),
    path("<int:pk>/recommend/", views.comment_recommend, name="recommend"),
    path("<int:pk>/report/", views.comment_report, name="report"),
    path("<int:pk>/form/<slug:kind>/", views.comment_action_form, name="action"),
    path("<int:pk>/feature/", views.comment_feature, name="feature"),
    path("desk/<int:article_pk>/", views.desk_comments, name="desk_comments"),
    path("live/<int:article_pk>/", views.thread_live, name="live"),
]
