from __future__ import annotations

from django import forms
from django.conf import settings

from comments.text import normalize_body


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
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

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
