from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms

from accounts.models import User
from accounts.names import DISPLAY_NAME_MAX, display_name_problem, normalize_display_name


class DisplayNameField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Display name")
        kwargs.setdefault(
            "help_text",
            "Shown beside your comments. 2 to 40 characters; your real name is welcome "
            "but not required.",
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

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"]
        problem = display_name_problem(name)
        if problem:
            raise forms.ValidationError(problem)
        return name


class ProfileForm(forms.Form):
    display_name = DisplayNameField()
    notify_replies = forms.BooleanField(
        required=False, label="Email me when someone replies to my comment"
    )
    notify_moderation = forms.BooleanField(
        required=False, label="Email me when a moderator rejects or removes my comment"
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


class AccountDeleteForm(forms.Form):
    """Deleting an account cannot be undone, so it asks for the password again:
    a borrowed, signed-in browser is not enough."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account cannot be restored.",
        error_messages={"required": "Tick the box to confirm."},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
