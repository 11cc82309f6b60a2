"""Form fields every app may use.

`DateTimeInRangeField`: the one sane range for a date typed into a form. Python and
PostgreSQL hold years 1 to 9999, but a year 9999 publishing time or a year 1
suspension end overflows the moment anything adds a day or shifts a time zone, and
no newsroom means either. The range is from 1 January 2000 to ten years from
today: the desk schedules days or weeks ahead, and the longest sanction with an end
is a suspension of a year or two (a ban needs no end at all).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import newsday

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
YEARS_AHEAD = 10


def latest(now: datetime) -> datetime:
    """The furthest moment a form accepts: `YEARS_AHEAD` years from `now`."""
    return now + timedelta(days=365 * YEARS_AHEAD + YEARS_AHEAD // 4)


class DateTimeInRangeField(forms.DateTimeField):
    """A date and time from `EARLIEST` to `latest(now)`; anything outside is a form
    error with a plain message, never an overflow further on."""

    default_error_messages = {
        "invalid": gettext_lazy("Enter a date and time, such as 2026-03-08 14:30."),
    }

    def to_python(self, value: Any) -> datetime | None:
        try:
            return super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        now = timezone.now()
        if not EARLIEST <= value <= latest(now):
            last = timezone.localtime(latest(now))
            # The English month in full, as before; in Urdu the site's own date.
            english = translation.get_language() != "ur"
            when = f"{last.day} {last:%B %Y}" if english else newsday(last)
            raise forms.ValidationError(
                _("Choose a date between 1 January 2000 and %(date)s.") % {"date": when},
                code="out_of_range",
            )
