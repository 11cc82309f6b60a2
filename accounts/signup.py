"""The sign-up form allauth shows (settings.ACCOUNT_FORMS): accounts.forms.SignupForm
with the display-name rules that reach across the apps (accounts.lifecycle: no name on
the site-wide protected list). Here, above the apps, because accounts.forms sits below
them (docs/ARCHITECTURE.md)."""

from __future__ import annotations

from django import forms

from accounts.forms import SignupForm as AccountSignupForm
from accounts.lifecycle import display_name_refusal


class SignupForm(AccountSignupForm):
    def clean_display_name(self) -> str:
        name = super().clean_display_name()
        problem = display_name_refusal(name)
        if problem:
            raise forms.ValidationError(problem)
        return name
