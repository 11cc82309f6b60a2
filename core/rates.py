"""Rates as the settings write them, and a wait as a reader reads it.

Pure: no Django, so `metoo_site/settings.py` can check a rate from the environment at
start-up, and `core.ratelimit` counts with the same parser.

A rate is "N/period", the period in s, m, h or d with an optional number ("30/10m");
several rates joined by commas ("10/m,300/h") must all hold.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE_RE.match(text)
        if not match:
            raise ValueError(f"Bad rate {text!r}: use e.g. '10/m' or '30/10m'")
        count, mult, unit = match.groups()
        period = int(mult or 1) * _UNITS[unit]
        if period == 0:
            raise ValueError(f"Bad rate {text!r}: the period must be longer than 0")
        return cls(int(count), period)

    def window_end(self, now: float) -> float:
        """When the fixed window holding `now` closes (windows start at multiples of
        the period, so every process agrees on them)."""
        return (now // self.period + 1) * self.period


@cache
def parse_rates(text: str) -> tuple[Rate, ...]:
    """ "10/m,300/h" -> both rates, the shortest period first."""
    parts = [part for part in text.split(",") if part.strip()]
    if not parts:
        raise ValueError(f"Bad rate {text!r}: use e.g. '10/m' or '10/m,300/h'")
    return tuple(sorted((Rate.parse(part) for part in parts), key=lambda r: r.period))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class WaitWords:
    """The words of a wait, in English; core.ratelimit gives the translated ones
    (this module knows no Django, so no gettext)."""

    def seconds(self, n: int) -> str:
        return _plural(n, "second")

    def minutes(self, n: int) -> str:
        return _plural(n, "minute")

    def hours(self, n: int) -> str:
        return _plural(n, "hour")

    def hours_and_minutes(self, hours: int, minutes: int) -> str:
        return f"{self.hours(hours)} and {self.minutes(minutes)}"


ENGLISH_WAIT_WORDS = WaitWords()


def wait_words(seconds: float, words: WaitWords = ENGLISH_WAIT_WORDS) -> str:
    """A wait as the 429 page says it: "40 seconds", "3 minutes", "1 hour and 5 minutes".
    Rounded up, so a reader who waits as long as it says is let through. `words`:
    the language it is said in."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return words.seconds(whole)
    minutes = math.ceil(whole / 60)
    if minutes < 60:
        return words.minutes(minutes)
    hours, minutes = divmod(minutes, 60)
    if not minutes:
        return words.hours(hours)
    return words.hours_and_minutes(hours, minutes)
