from __future__ import annotations

from django import forms
from django.conf import settings

from comments.text import normalize_body
from moderation.models import ReportReason


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        # Generous hard ceiling on what we even look at; the real limit is checked
        # after normalising, with a message that gives the numbers.
        max_length=settings.COMMENT_MAX_LENGTH * 4,
        strip=False,
        error_messages={"required": "Write something before posting."},
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        min_value=1,
        # Postgres bigint; anything larger is forged and must not reach the query.
        max_value=2**63 - 1,
        error_messages={
            "invalid": "The comment you replied to does not exist.",
            "min_value": "The comment you replied to does not exist.",
            "max_value": "The comment you replied to does not exist.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.attrs["maxlength"] = settings.COMMENT_MAX_LENGTH
        self.fields["body"].widget.attrs["data-counter"] = settings.COMMENT_MAX_LENGTH

    def clean_body(self) -> str:
        body = normalize_body(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError("Write something before posting.")
        if len(body) > settings.COMMENT_MAX_LENGTH:
            raise forms.ValidationError(
                f"Comments can be at most {settings.COMMENT_MAX_LENGTH:,} characters "
                f"(this one has {len(body):,})."
            )
        return body


class EditForm(CommentForm):
    parent = None


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a reason for your report.",
            "invalid_choice": "Choose one of the listed reasons for your report.",
        },
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
        error_messages={"max_length": "Keep the note under 1,000 characters."},
    )

    def clean_note(self) -> str:
        return normalize_body(self.cleaned_data["note"])
