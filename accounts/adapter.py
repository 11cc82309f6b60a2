from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from accounts.domains import email_domain_blocked


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        # Every form that takes an address (sign-up, adding an email) comes here, so
        # a throwaway address cannot be added after signing up with a real one.
        email = super().clean_email(email)
        if email_domain_blocked(email):
            raise forms.ValidationError(
                "Addresses from disposable email services cannot be used here. "
                "Please use an address you will keep."
            )
        return email

    def save_user(self, request, user, form, commit=True):
        # The display name is part of the row (unique, not null), so it is set
        # before the first save rather than in a second write.
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data["display_name"]
        if commit:
            user.save()
        return user
