from django.contrib import admin

from moderation.models import ModerationAction


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log is append-only; the admin may only read it."""

    list_display = ("created_at", "actor", "action", "comment", "from_status", "to_status")
    list_filter = ("action",)
    raw_id_fields = ("actor", "comment", "target_user")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
