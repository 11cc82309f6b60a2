from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from comments.services import RESUBMIT_WINDOW
from comments.text import BodyError, clean_body, normalize_body
from core.drafts import MAX_DRAFT_CHARS
from moderation.models import ReportReason

# Spam without a captcha: a field people never see (bots fill every field) and a
# signed time the form was shown (bots post at once, or replay an old form). A
# stamp is good for one comment, and for COMMENT_FORM_MAX_AGE_HOURS at most.
HONEYPOT_FIELD = "website"
STAMP_FIELD = "ts"
_STAMP_SALT = "comments.form-stamp"
_STAMP_USED_KEY = "comments:form-stamp-used:"
# In English here (marked for translation); translated where they are said, so the
# reader reads them in the interface's language.
REFUSED_MESSAGE = gettext_noop(
    "We could not accept this comment. Please reload the page and try again."
)
TOO_FAST_MESSAGE = gettext_noop(
    "That was quicker than anyone can write a comment. Please wait a moment and send it again."
)
TOO_OLD_MESSAGE = gettext_noop(
    "This form was open for too long. Please reload the page and send it again."
)
USED_MESSAGE = gettext_noop(
    "This form was already sent. To write another comment, please reload the page and use "
    "a new form."
)


def form_stamp() -> str:
    """A fresh signed stamp of when the comment form is shown."""
    return signing.TimestampSigner(salt=_STAMP_SALT).sign(secrets.token_urlsafe(6))


def stamp_problem(stamp: str, *, now: float | None = None) -> str | None:
    """Why a posted stamp is refused (forged, too fast, too old), or None; in the
    interface's language."""
    signer = signing.TimestampSigner(salt=_STAMP_SALT)
    now = time.time() if now is None else now
    try:
        signer.unsign(stamp)
        _value, encoded, _signature = stamp.rsplit(signer.sep, 2)
        shown_at = signing.b62_decode(encoded)
    except (signing.BadSignature, ValueError):
        return _(REFUSED_MESSAGE)
    age = now - shown_at
    if age < settings.COMMENT_FORM_MIN_SECONDS:
        return _(TOO_FAST_MESSAGE)
    if age > settings.COMMENT_FORM_MAX_AGE_HOURS * 3600:
        return _(TOO_OLD_MESSAGE)
    return None


def stamp_spend(stamp: str, *, sending: str, now: float | None = None) -> str | None:
    """Mark a valid stamp used for `sending` (what the form carries: the reply-to
    id and the text); USED_MESSAGE when it was already used for something else.

    A stamp is good for one comment. The same form sent again within
    RESUBMIT_WINDOW with the same text (a double click, a resent form) passes:
    comments.services.comment_post then returns the comment the first sending
    stored, so the reader sees it, not an error. Used stamps are kept in the
    shared cache for a stamp's whole lifetime (past it the stamp is refused as
    too old anyway); `cache.add` makes the first sending win a race. When the
    cache keeps nothing (it is down), the stamp passes: the signature and the
    age still hold, and readers can still post."""
    now = time.time() if now is None else now
    key = _STAMP_USED_KEY + hashlib.sha256(stamp.encode()).hexdigest()
    fingerprint = hashlib.sha256(sending.encode()).hexdigest()
    lifetime = settings.COMMENT_FORM_MAX_AGE_HOURS * 3600
    if cache.add(key, (fingerprint, now), lifetime):
        return None
    first = cache.get(key)
    if first is None:
        return None
    first_fingerprint, first_at = first
    if first_fingerprint == fingerprint and now - first_at <= RESUBMIT_WINDOW.total_seconds():
        return None
    return _(USED_MESSAGE)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        # Generous hard ceiling on what we even look at; the real limit is checked
        # after normalising, with a message that gives the numbers. The box has
        # no maxlength: a browser would cut pasted text silently.
        max_length=MAX_DRAFT_CHARS,
        strip=False,
        error_messages={"required": gettext_lazy("Write something before posting.")},
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        # Postgres bigint; anything larger is forged and must not reach the query.
        max_value=2**63 - 1,
        error_messages={
            "invalid": gettext_lazy("The comment you replied to does not exist."),
            "min_value": gettext_lazy("The comment you replied to does not exist."),
            "max_value": gettext_lazy("The comment you replied to does not exist."),
        },
    )

    # Rendered by {% comment_form_guard %} (comments/templatetags/comment_guard.py).
    website = forms.CharField(required=False, strip=False, max_length=10_000)
    ts = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["data-counter"] = settings.COMMENT_MAX_LENGTH

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if HONEYPOT_FIELD in self.fields:
            if data.get(HONEYPOT_FIELD):
                raise forms.ValidationError(_(REFUSED_MESSAGE), code="honeypot")
            stamp = data.get(STAMP_FIELD) or ""
            problem = stamp_problem(stamp)
            # Spent only by a form that is otherwise good: a reader who goes back
            # to fix a text that was refused sends the same stamp again.
            if not problem and not self.errors:
                sending = f"{data.get('parent') or ''}\n{data.get('body', '')}"
                problem = stamp_spend(stamp, sending=sending)
            if problem:
                raise forms.ValidationError(problem, code="stamp")
        return data

    def clean_body(self) -> str:
        try:
            return clean_body(self.cleaned_data["body"])
        except BodyError as exc:
            raise forms.ValidationError(str(exc)) from None


class EditForm(CommentForm):
    # Editing is the author's own, already-posted comment: no bot gate needed.
    parent = None  # type: ignore[assignment]  # a declared field removed, as Django documents
    website = None  # type: ignore[assignment]
    ts = None  # type: ignore[assignment]


class DraftForm(forms.Form):
    """A comment written before signing in: kept as typed (core.drafts), checked
    only when it is posted."""

    body = forms.CharField(max_length=MAX_DRAFT_CHARS, strip=False)


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a reason for your report."),
            "invalid_choice": gettext_lazy("Choose one of the listed reasons for your report."),
        },
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        error_messages={"max_length": gettext_lazy("Keep the note under 1,000 characters.")},
    )

    def clean_note(self) -> str:
        return normalize_body(self.cleaned_data["note"])
