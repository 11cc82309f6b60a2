from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("me/", views.profile, name="profile"),
    path("me/comments/", views.my_comments, name="my_comments"),
    path("me/notifications/", views.notifications, name="notifications"),
    path("me/notifications/email/", views.email_preferences, name="email_preferences"),
    path("me/export.json", views.data_export, name="export"),
    path("me/delete/", views.account_delete, name="delete"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("readers/<int:pk>/", views.reader_profile, name="reader"),
]
