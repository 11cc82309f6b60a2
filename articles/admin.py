from django.contrib import admin

from articles.models import Article, ArticleEvent, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position", "default_comments_mode")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-only here: articles are written and published through the editor desk,
    whose services render Markdown safely and record every change."""

    list_display = ("title", "section", "status", "published_at", "comment_count")
    list_filter = ("status", "section")
    search_fields = ("title",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArticleEvent)
class ArticleEventAdmin(admin.ModelAdmin):
    """The article log, to read: the database refuses changes to it anyway."""

    list_display = ("created_at", "action", "article", "actor")
    list_filter = ("action",)
    list_select_related = ("article", "actor")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
