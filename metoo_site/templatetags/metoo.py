"""Template helpers used on every page (registered as builtins in settings)."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core import dates

register = template.Library()


@register.filter
def newsdate(value: datetime | None) -> str:
    """The newspaper's timestamp: "Nov 13, 2018 09:47am" in the site's time zone."""
    return dates.newsdate(value)


@register.filter
def newsday(value: datetime | None) -> str:
    """A date alone, as in "Updated 13 Nov, 2018"."""
    return dates.newsday(value)


@register.simple_tag
def timestamp(value: datetime | None) -> SafeString:
    """A <time> element carrying the machine-readable instant."""
    return mark_safe(dates.time_element(value))  # noqa: S308 - digits and month names


@register.filter
def highlight(snippet: str | None) -> SafeString:
    """Escape a search snippet, then mark the matches (see articles.selectors)."""
    text = escape(snippet or "")
    return mark_safe(text.replace("\u27e6", "<mark>").replace("\u27e7", "</mark>"))  # noqa: S308
