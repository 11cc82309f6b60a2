from django.urls import path

from comments import views

app_name = "comments"

urlpatterns = [
    path("post/<slug:slug>/", views.comment_create, name="post"),
    path("<int:pk>/", views.permalink, name="permalink"),
]
