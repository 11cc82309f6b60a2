from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import InterfaceLanguage, User
from accounts.names import DISPLAY_NAME_MAX, display_name_problem, normalize_display_name
from core.ratelimit import Verdict, parse_rates, take, wait_words

# The large free email providers most readers use. Sign-ups from these are not
# limited per domain (a busy story brings hundreds from gmail.com); every other
# domain is, since a script's supply of addresses is usually one domain of its own.
LARGE_EMAIL_PROVIDERS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "ymail.com",
        "rocketmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "pm.me",
        "gmx.com",
        "mail.com",
        "zoho.com",
        "yandex.com",
        "yahoo.co.uk",
        "hotmail.co.uk",
        "outlook.com.pk",
        "yahoo.co.in",
    }
)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower().rstrip(".")


def signup_domain_verdict(email: str) -> Verdict:
    """Count a sign-up with `email` against its domain (SIGNUP_RATE_LIMITS["domain"]),
    unless the domain is a large provider's."""
    rates = settings.SIGNUP_RATE_LIMITS.get("domain")
    domain = email_domain(email)
    if not rates or not domain or domain in LARGE_EMAIL_PROVIDERS:
        return Verdict(True)
    return take("signup-domain", domain, parse_rates(rates))


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Display name"))
        kwargs.setdefault(
            "help_text",
            _(
                "Shown beside your comments. 2 to 40 characters; your real name is welcome "
                "but not required."
            ),
        )
        # Room for pasted text; the real limit is checked after normalising.
        kwargs.setdefault("max_length", DISPLAY_NAME_MAX * 4)
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "nickname", "maxlength": DISPLAY_NAME_MAX})

    def to_python(self, value: Any) -> str:
        return normalize_display_name(super().to_python(value))


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the display name every comment carries."""

    display_name = DisplayNameField()

    field_order = ["email", "display_name", "password1", "password2"]

    def clean_email(self) -> str:
        # After allauth's checks (format, disposable domains, one account per address),
        # so only an address that could sign up counts against its domain.
        email: str = super().clean_email()
        verdict = signup_domain_verdict(email)
        if not verdict.allowed:
            raise forms.ValidationError(
                gettext(
                    "Many accounts have just been made with addresses at %(domain)s, "
                    "so we have paused new ones for a while. Please try again in "
                    "%(wait)s, or use another address."
                )
                % {"domain": email_domain(email), "wait": wait_words(verdict.retry_after)}
            )
        return email

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        problem = display_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        return name


REPLIES_LABEL = _("Email me when someone replies to my comment")
MODERATION_LABEL = _("Email me when a moderator rejects or removes my comment")


class ProfileForm(forms.Form):
    display_name = DisplayNameField()
    notify_replies = forms.BooleanField(required=False, label=REPLIES_LABEL)
    notify_moderation = forms.BooleanField(required=False, label=MODERATION_LABEL)
    profile_public = forms.BooleanField(
        required=False,
        label=_("Show my profile page to everyone"),
        help_text=_(
            "Your name, when you joined, your published comments and editors' picks. "
            "Untick to keep the page to yourself; your name then links nowhere."
        ),
    )
    # Each language named in itself (InterfaceLanguage), as the header's switch does.
    language = forms.ChoiceField(
        required=False,
        label=_("Language of the site"),
        choices=InterfaceLanguage.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "The language of menus, buttons and the emails we send you. Comments and "
            "articles stay in the language they were written in."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        if name == self.user.display_name:
            return name
        problem = display_name_problem(name, exclude_user_id=self.user.pk)
        if problem:
            raise forms.ValidationError(problem)
        return name


class EmailPreferencesForm(forms.Form):
    notify_replies = forms.BooleanField(required=False, label=REPLIES_LABEL)
    notify_moderation = forms.BooleanField(required=False, label=MODERATION_LABEL)


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone, so it asks for the password again:
    a borrowed, signed-in browser is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account cannot be restored."),
        error_messages={"required": _("Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(gettext("That is not your password."))
        return password
