from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from accounts.notifications import unread_count
from articles.models import Section

_SECTIONS_KEY = "site:sections:v1"


def site(request) -> dict:
    """Site name and the section navigation, cached because every page shows it."""
    sections = cache.get(_SECTIONS_KEY)
    if sections is None:
        sections = list(Section.objects.order_by("position", "name").values("name", "slug"))
        cache.set(_SECTIONS_KEY, sections, 300)
    user = getattr(request, "user", None)

    def unread_notifications() -> int:
        # Called by the header only, and only for someone signed in (kept a minute).
        return unread_count(user=user) if user is not None and user.is_authenticated else 0

    return {
        "unread_notifications": unread_notifications,
        "SITE_NAME": settings.SITE_NAME,
        "nav_sections": sections,
        "is_editor": bool(user and user.is_authenticated and user.is_editor),
        "is_moderator": bool(user and user.is_authenticated and user.is_moderator),
    }
