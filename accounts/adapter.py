from __future__ import annotations

import math
import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse

# allauth's own counters, to tell a reader how long its limits keep them waiting
# (allauth 65 keeps them under these keys; tests/security/test_rate_limits.py checks).
from allauth.core.internal.ratelimit import get_cache_key, get_rates
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.domains import email_domain_blocked
from accounts.mail import in_recipient_language
from core import drafts
from core.languages import language_of
from core.ratelimit import (
    CACHE_ERRORS,
    Verdict,
    address_key,
    client_ip,
    parse_rates,
    take,
    too_many,
)

# The allauth views that answer 429, the limit each counts, and for a per-key limit
# the form field holding the key.
ALLAUTH_LIMITED_VIEWS = {
    "account_login": ("login", ""),
    "account_reset_password": ("reset_password", "email"),
    "account_reset_password_from_key": ("reset_password_from_key", ""),
    "account_change_password": ("change_password", ""),
    "account_set_password": ("change_password", ""),
    "account_email": ("manage_email", ""),
    "account_signup": ("signup", ""),
}


def signup_address_verdict(request: HttpRequest) -> Verdict:
    """Count a sign-up attempt from the request's address (SIGNUP_RATE_LIMITS["ip"])."""
    rates = settings.SIGNUP_RATE_LIMITS.get("ip")
    if not rates:
        return Verdict(True)
    return take("signup", f"ip:{address_key(client_ip(request))}", parse_rates(rates))


def allauth_wait(request: HttpRequest, *, now: float | None = None) -> int:
    """Seconds until the allauth limit that refused `request` lets it through: when the
    oldest hit that keeps its window full ages out (allauth's windows slide)."""
    now = time.time() if now is None else now
    match = request.resolver_match
    action, key_field = ALLAUTH_LIMITED_VIEWS.get((match.url_name if match else "") or "", ("", ""))
    rates = get_rates(app="allauth.account", action=action) if action else []
    longest = max((rate.duration for rate in rates), default=60)
    waits = []
    for rate in rates:
        key = None
        if rate.per == "key":
            key = str(request.POST.get(key_field, "")).strip().lower()
            if not key:
                continue
        elif rate.per == "user" and not request.user.is_authenticated:
            continue
        cache_key = get_cache_key(request, app="allauth.account", action=action, rate=rate, key=key)
        try:
            history = cache.get(cache_key, [])
        except CACHE_ERRORS:  # the count is gone with the cache: say the longest wait
            return math.ceil(longest)
        recent = sorted((t for t in history if t > now - rate.duration), reverse=True)
        if len(recent) >= rate.amount:
            waits.append(recent[rate.amount - 1] + rate.duration - now)
    return max(1, math.ceil(max(waits, default=longest)))


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's 429 (`handler429` in the root URLconf): the site's page, with the wait."""
    return too_many(request, "account", retry_after=allauth_wait(request))


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address as every other limit and IP hash: behind the production
        # proxy allauth would otherwise see the proxy, and count all readers as one.
        return client_ip(request)

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # allauth asks this before it reads a sign-up form: the place to count the
        # attempt per address and answer 429 (allauth's documented way to intervene).
        if request.method == "POST":
            verdict = signup_address_verdict(request)
            if not verdict.allowed:
                raise ImmediateHttpResponse(
                    too_many(request, "signup", retry_after=verdict.retry_after)
                )
        return super().is_open_for_signup(request)

    def clean_email(self, email: str) -> str:
        # Every form that takes an address (sign-up, adding an email) comes here, so
        # a throwaway address cannot be added after signing up with a real one.
        email = super().clean_email(email)
        if email_domain_blocked(email):
            raise forms.ValidationError(
                _(
                    "Addresses from disposable email services cannot be used here. "
                    "Please use an address you will keep."
                )
            )
        return email

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's mails (confirm an address, reset a password, notices) in the
        # account's chosen language; one who left it to the browser is at the browser
        # now, so the request's language. One place for all: accounts.mail.
        user = context.get("user")
        with in_recipient_language(user, fallback=translation.get_language()):
            super().send_mail(template_prefix, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # Notices about an account (password changed, address added) carry no user in
        # their context: the account is known here.
        with in_recipient_language(user, fallback=translation.get_language()):
            super().send_notification_mail(template_prefix, user, context, email)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        # A reader with a comment waiting (core.drafts) comes back to it from the
        # link, in whichever browser they open it: the confirmation page passes
        # `next` on to where it sends them after confirming.
        url: str = super().get_email_confirmation_url(request, emailconfirmation)
        back_to = drafts.draft_back_to(request.session) if request is not None else None
        if back_to:
            url = f"{url}?{urlencode({'next': back_to})}"
        return url

    def get_email_verification_redirect_url(self, email_address) -> str:
        # Back to the comment waiting for the confirmation, not the home page.
        back_to = drafts.draft_back_to(self.request.session)
        return back_to or super().get_email_verification_redirect_url(email_address)

    def save_user(self, request, user, form, commit=True):
        # The display name is part of the row (unique, not null), so it is set
        # before the first save rather than in a second write.
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        user.display_name_lang = language_of(user.display_name)
        if commit:
            user.save()
        return user
