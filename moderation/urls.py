from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    # One view for every decision (moderation.services.DECISIONS), one URL each.
    *(
        path(f"comments/<int:pk>/{segment}/", views.decide, {"kind": kind}, name=kind)
        for kind, segment in (
            ("approve", "approve"),
            ("reject", "reject"),
            ("remove", "remove"),
            ("restore", "restore"),
            ("dismiss", "dismiss-reports"),
        )
    ),
    path("bulk/", views.bulk, name="bulk"),
    path("undo/", views.undo, name="undo"),
    path(
        "comments/<int:pk>/add-spelling/",
        views.people_variant_add,
        name="people_variant_add",
    ),
    path("comments/<int:pk>/history/", views.comment_history, name="comment_history"),
    path("appeals/", views.appeal_list, name="appeals"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    # The author's side: appeal the decision on their own comment.
    path("my-comments/<int:pk>/appeal/", views.appeal_new, name="appeal_new"),
    path("holds/", views.hold_list, name="holds"),
    path("holds/<int:pk>/", views.hold_detail, name="hold"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("holds/<int:pk>/export/", views.hold_export, name="hold_export"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/sanction/", views.user_sanction, name="user_sanction"),
    path("users/<int:pk>/note/", views.user_note, name="user_note"),
    path("sanctions/<int:pk>/lift/", views.sanction_lift, name="sanction_lift"),
    path("audit/", views.audit, name="audit"),
    path("audit.csv", views.audit_csv, name="audit_csv"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("words/", views.words, name="words"),
    path("words/add/", views.word_add, name="word_add"),
    path("words/<int:pk>/remove/", views.word_remove, name="word_remove"),
    path("model/", views.model_page, name="model"),
    path("model/<int:pk>/", views.model_page, name="model_version"),
    path("model/<int:pk>/activate/", views.model_activate, name="model_activate"),
    path("model/rollback/", views.model_rollback, name="model_rollback"),
    path("model/settings/", views.model_settings, name="model_settings"),
]
