"""The forms of the moderation model's evaluation page: activate a version, roll
back, change the active version's mode and threshold. Each names the version the
moderator saw, so a change someone made meanwhile is refused, not overwritten."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import ModelMode


class ModelActivateForm(forms.Form):
    mode = forms.ChoiceField(
        choices=ModelMode.choices,
        initial=ModelMode.SHADOW,
        error_messages={"invalid_choice": _("Choose shadow or hold mode.")},
    )


class ModelRollbackForm(forms.Form):
    # The version the moderator saw active.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ModelSettingsForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        choices=ModelMode.choices,
        error_messages={"invalid_choice": _("Choose shadow or hold mode.")},
    )
    threshold = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_value=Decimal("0.99"),
        max_digits=3,
        decimal_places=2,
        error_messages={
            "invalid": _("The threshold is a number between 0 and 1, such as 0.50."),
            "min_value": _("The threshold must be at least 0.01."),
            "max_value": _("The threshold must be at most 0.99."),
            "max_decimal_places": _("Give the threshold with at most two decimals, such as 0.65."),
            "max_digits": _("Give the threshold with at most two decimals, such as 0.65."),
        },
    )
