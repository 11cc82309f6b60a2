"""The one way the site writes a moment: "Nov 13, 2018 09:47am" in the site's time
zone, as the newspaper prints it. Templates (the `newsdate` filter and `timestamp`
tag), the Python renderers of the thread and the queue, service messages and the
desk all call these, so the format cannot drift between them.

In the Urdu interface a moment is "13 نومبر 2018، 09:47" and a day "13 نومبر 2018":
Urdu month names, Western digits (as Pakistani news sites print them) and a
24-hour clock, which needs no am/pm word (an Urdu "قبل دوپہر" at one in the
morning reads oddly, and a 24-hour time is what Urdu papers print for news).
The English output is unchanged.

Written without strftime: the thread renderer calls this for thousands of
comments, and strftime (with its locale lookups) cost several times as much. Nor
with gettext: the month names of each language are a table built once, and the
active language is looked up once per call."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from django.utils import timezone, translation

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_URDU_MONTHS = (
    "جنوری",
    "فروری",
    "مارچ",
    "اپریل",
    "مئی",
    "جون",
    "جولائی",
    "اگست",
    "ستمبر",
    "اکتوبر",
    "نومبر",
    "دسمبر",
)


def _is_urdu() -> bool:
    return translation.get_language() == "ur"


def newsdate(value: datetime | None, tz: tzinfo | None = None) -> str:
    """ "Nov 13, 2018 09:47am" in `tz` (default: the current time zone); in the
    Urdu interface "13 نومبر 2018، 21:47"."""
    if value is None:
        return ""
    local = value.astimezone(tz or timezone.get_current_timezone())
    if _is_urdu():
        return (
            f"{local.day:02d} {_URDU_MONTHS[local.month - 1]} {local.year}، "
            f"{local.hour:02d}:{local.minute:02d}"
        )
    hour = local.hour % 12 or 12
    half = "pm" if local.hour >= 12 else "am"
    return (
        f"{_MONTHS[local.month - 1]} {local.day:02d}, {local.year} "
        f"{hour:02d}:{local.minute:02d}{half}"
    )


def newsday(value: datetime | None, tz: tzinfo | None = None) -> str:
    """A date alone, as in "Updated 13 Nov, 2018" (Urdu: "13 نومبر 2018")."""
    if value is None:
        return ""
    local = value.astimezone(tz or timezone.get_current_timezone())
    if _is_urdu():
        return f"{local.day:02d} {_URDU_MONTHS[local.month - 1]} {local.year}"
    return f"{local.day:02d} {_MONTHS[local.month - 1]}, {local.year}"


def time_element(value: datetime | None, tz: tzinfo | None = None) -> str:
    """A <time> element carrying the machine-readable instant (nothing to escape:
    both parts are made of digits, letters and punctuation written here). Whole seconds:
    HTML allows at most three digits of a fraction, and a reader needs none."""
    if value is None:
        return ""
    instant = value.astimezone(UTC).isoformat(timespec="seconds")
    return f'<time datetime="{instant}">{newsdate(value, tz)}</time>'
