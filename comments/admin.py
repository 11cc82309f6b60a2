from django.contrib import admin

from comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Read-only: status changes go through the moderation queue so they are audited."""

    list_display = ("id", "article", "author", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body",)
    raw_id_fields = ("article", "parent", "root", "author")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
