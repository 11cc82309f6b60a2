from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("comments/<int:pk>/approve/", views.approve, name="approve"),
    path("comments/<int:pk>/reject/", views.reject, name="reject"),
]
