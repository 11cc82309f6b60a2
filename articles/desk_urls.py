from django.urls import path

from articles import desk, desk_people

app_name = "desk"

urlpatterns = [
    path("", desk.article_list, name="list"),
    path("new/", desk.article_new, name="new"),
    path("preview/", desk.preview, name="preview"),
    path("<int:pk>/", desk.article_edit, name="edit"),
    path("<int:pk>/publish/", desk.publish, name="publish"),
    path("<int:pk>/schedule/", desk.schedule, name="schedule"),
    path("<int:pk>/unpublish/", desk.unpublish, name="unpublish"),
    # People in the story (articles/desk_people.py).
    path("<int:pk>/people/", desk_people.people, name="people"),
    path("<int:pk>/people/add/", desk_people.person_add, name="person_add"),
    path("protected/", desk_people.protected, name="protected"),
    path("protected/add/", desk_people.protected_add, name="protected_add"),
    path("people/<int:person_pk>/change/", desk_people.person_change, name="person_change"),
    path("people/<int:person_pk>/remove/", desk_people.person_remove, name="person_remove"),
    path("people/<int:person_pk>/spellings/", desk_people.variant_add, name="variant_add"),
    path("spellings/<int:variant_pk>/remove/", desk_people.variant_remove, name="variant_remove"),
]
