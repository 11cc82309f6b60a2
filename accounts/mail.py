"""Emails speak their recipient's language, not the language of whoever (or
whatever task) caused them: the one place every sender asks.

A reader who chose a language on their account (User.language) gets it; one who
left it to their browser gets `fallback` when the mail is sent while they are at
the browser (allauth's sign-up and password mails: the request's language), else
the site's default. Everything rendered inside `in_recipient_language` (subject,
bodies, dates, labels) is in that language."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.utils import translation

from accounts.language import is_supported


def recipient_language(user: object | None, *, fallback: str | None = None) -> str:
    """The language to write to `user` in (an account, or None for an address alone)."""
    chosen = getattr(user, "language", "") or ""
    if chosen and is_supported(chosen):
        return str(chosen)
    if fallback and is_supported(fallback):
        return fallback
    return str(settings.LANGUAGE_CODE)


@contextmanager
def in_recipient_language(user: object | None, *, fallback: str | None = None) -> Iterator[str]:
    """Render (and send) a mail for `user` inside this block."""
    language = recipient_language(user, fallback=fallback)
    with translation.override(language):
        yield language
