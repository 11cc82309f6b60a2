from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("me/comments/", views.my_comments, name="my_comments"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
