from __future__ import annotations

from django import forms

from comments.models import ReasonCategory


class DecisionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class RejectForm(DecisionForm):
    reason = forms.ChoiceField(
        choices=[("", "Choose a reason"), *ReasonCategory.choices],
        error_messages={"required": "Choose a reason for rejecting this comment."},
    )
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
