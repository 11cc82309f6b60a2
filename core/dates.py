"""The one way the site writes a moment: "Nov 13, 2018 09:47am" in the site's time
zone, as the newspaper prints it. Templates (the `newsdate` filter and `timestamp`
tag), the Python renderers of the thread and the queue, service messages and the
desk all call these, so the format cannot drift between them.

Written without strftime: the thread renderer calls this for thousands of
comments, and strftime (with its locale lookups) cost several times as much."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from django.utils import timezone

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def newsdate(value: datetime | None, tz: tzinfo | None = None) -> str:
    """ "Nov 13, 2018 09:47am" in `tz` (default: the current time zone)."""
    if value is None:
        return ""
    local = value.astimezone(tz or timezone.get_current_timezone())
    hour = local.hour % 12 or 12
    half = "pm" if local.hour >= 12 else "am"
    return (
        f"{_MONTHS[local.month - 1]} {local.day:02d}, {local.year} "
        f"{hour:02d}:{local.minute:02d}{half}"
    )


def newsday(value: datetime | None, tz: tzinfo | None = None) -> str:
    """A date alone, as in "Updated 13 Nov, 2018"."""
    if value is None:
        return ""
    local = value.astimezone(tz or timezone.get_current_timezone())
    return f"{local.day:02d} {_MONTHS[local.month - 1]}, {local.year}"


def time_element(value: datetime | None, tz: tzinfo | None = None) -> str:
    """A <time> element carrying the machine-readable instant (nothing to escape:
    both parts are made of digits, letters and punctuation written here). Whole seconds:
    HTML allows at most three digits of a fraction, and a reader needs none."""
    if value is None:
        return ""
    instant = value.astimezone(UTC).isoformat(timespec="seconds")
    return f'<time datetime="{instant}">{newsdate(value, tz)}</time>'
