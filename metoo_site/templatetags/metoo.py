"""Template helpers used on every page (registered as builtins in settings)."""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def newsdate(value: datetime | None) -> str:
    """The newspaper's timestamp: "Nov 13, 2018 09:47am" in the site's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%b %d, %Y %I:%M") + local.strftime("%p").lower()


@register.filter
def newsday(value: datetime | None) -> str:
    """A date alone, as in "Updated 13 Nov, 2018"."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%d %b, %Y")


@register.simple_tag
def timestamp(value: datetime | None) -> str:
    """A <time> element carrying the machine-readable instant."""
    if not value:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>', value.astimezone(UTC).isoformat(), newsdate(value)
    )


@register.filter
def highlight(snippet: str | None) -> SafeString:
    """Escape a search snippet, then mark the matches (see articles.selectors)."""
    text = escape(snippet or "")
    return mark_safe(text.replace("\u27e6", "<mark>").replace("\u27e7", "</mark>"))  # noqa: S308
