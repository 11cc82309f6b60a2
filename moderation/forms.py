from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from comments.models import ReasonCategory
from core.forms import DateTimeInRangeField
from moderation.models import HoldScope, LegalRequestKind, SanctionKind, WordListKind
from moderation.selectors import REASONS, TABS
from moderation.services import DECISIONS


class DecisionForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    # The newest open report the moderator was shown: a dismissal covers no later one.
    reports_seen = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class RejectForm(DecisionForm):
    reason = forms.ChoiceField(
        choices=[("", _("Choose a reason")), *ReasonCategory.choices],
        error_messages={
            "required": _("Choose a reason for this decision."),
            "invalid_choice": _("Choose one of the listed reasons."),
        },
    )
    note = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class BulkForm(forms.Form):
    ACTIONS = [(key, key.capitalize()) for key, kind in DECISIONS.items() if kind.in_bulk]

    action = forms.ChoiceField(
        choices=ACTIONS, error_messages={"invalid_choice": _("Choose a bulk decision.")}
    )
    reason = forms.ChoiceField(
        required=False, choices=[("", _("Reason (to reject or remove)")), *ReasonCategory.choices]
    )
    items = forms.MultipleChoiceField(
        error_messages={"required": _("Select at least one comment.")}
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each item is "<comment id>:<version seen>"; the choices are whatever was sent,
        # validated by clean_items.
        sent = self.data.getlist("items") if isinstance(self.data, QueryDict) else []
        items = self.fields["items"]
        assert isinstance(items, forms.MultipleChoiceField)
        items.choices = [(v, v) for v in sent]

    def clean_items(self) -> list[tuple[int, int]]:
        parsed = []
        for raw in self.cleaned_data["items"]:
            pk, _sep, version = raw.partition(":")
            if not (pk.isdigit() and version.isdigit()):
                raise forms.ValidationError(_("The selection was garbled; reload the queue."))
            parsed.append((int(pk), int(version)))
        if len(parsed) > 100:
            raise forms.ValidationError(_("Decide at most 100 comments at once."))
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = DECISIONS.get(data.get("action") or "")
        if kind is not None and kind.needs_reason and not data.get("reason"):
            self.add_error(
                "reason", _("Choose a reason to reject or remove the selected comments.")
            )
        return data


class QueueFilterForm(forms.Form):
    """The queue's GET parameters; anything malformed is dropped, never an error."""

    tab = forms.ChoiceField(choices=list(TABS.items()), required=False)
    article = forms.IntegerField(required=False, min_value=1)
    section = forms.SlugField(required=False)
    author = forms.IntegerField(required=False, min_value=1)
    reason = forms.ChoiceField(choices=[("", _("Any reason")), *REASONS], required=False)
    q = forms.CharField(required=False, max_length=200, strip=True)
    order = forms.ChoiceField(
        choices=[
            ("", _("Default order")),
            ("oldest", _("Oldest first")),
            ("newest", _("Newest first")),
        ],
        required=False,
    )
    after = forms.CharField(required=False, max_length=100)

    def cleaned_or_default(self) -> dict:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields}
        for name in self.errors:
            data[name] = None
        return data


class SanctionForm(forms.Form):
    # No sanction is preselected: the moderator must choose one.
    kind = forms.ChoiceField(
        choices=[("", _("Choose a sanction")), *SanctionKind.choices],
        error_messages={"required": _("Choose a sanction.")},
    )
    until = DateTimeInRangeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        help_text=_("Required to suspend; optional for a ban or premoderation."),
    )
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the user when they try to post."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        until = data.get("until")
        if data.get("kind") == SanctionKind.SUSPEND and not until and "until" not in self.errors:
            self.add_error("until", _("A suspension needs an end time."))
        if until and until <= timezone.now():
            self.add_error("until", _("The end time must be in the future."))
        return data


class LiftForm(forms.Form):
    reason = forms.CharField(max_length=1000, label=_("Reason for lifting"))


class NoteForm(forms.Form):
    note = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class WordForm(forms.Form):
    term = forms.CharField(max_length=100, label=_("Word or phrase"))
    # Neither list is preselected: blocking rejects comments outright.
    kind = forms.ChoiceField(
        choices=[("", _("Choose what to do")), *WordListKind.choices],
        label=_("What to do"),
        error_messages={"required": _("Choose whether to block or hold the term.")},
    )


class TryForm(forms.Form):
    text = forms.CharField(
        max_length=3000,
        label=_("Try a text"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class QueueSpellingForm(forms.Form):
    """A moderator adds a spelling of a listed person from a queue item."""

    person = forms.IntegerField(min_value=1, label=_("Person"))
    text = forms.CharField(max_length=120, label=_("Spelling as written in this comment"))


class AppealForm(forms.Form):
    """The author's appeal of a decision on their comment."""

    note = forms.CharField(
        max_length=2000,
        label=_("Why should the decision be looked at again?"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        error_messages={"required": _("Say why the decision should be looked at again.")},
    )


class AppealDecisionForm(forms.Form):
    """A moderator's outcome for an appeal: neither outcome is preselected."""

    outcome = forms.ChoiceField(
        choices=[
            ("uphold", _("Uphold the decision")),
            ("overturn", _("Overturn it and publish the comment")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to uphold or overturn the decision.")},
    )
    note = forms.CharField(
        max_length=2000,
        label=_("Reason (sent to the author)"),
        error_messages={"required": _("Give the reason for the outcome; the author is sent it.")},
    )


class UndoForm(forms.Form):
    """Undo one decision (its audit entry) or one bulk decision (its batch)."""

    action = forms.IntegerField(required=False, min_value=1)
    batch = forms.RegexField(regex=r"^[0-9a-f]{32}$", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("action") and not data.get("batch"):
            raise forms.ValidationError(_("Nothing to undo was named."))
        return data


class LegalHoldForm(forms.Form):
    """An editor or admin records a legal request; nothing is preselected."""

    kind = forms.ChoiceField(
        choices=[("", _("Choose the kind of request")), *LegalRequestKind.choices],
        label=_("Kind of request"),
    )
    reference = forms.CharField(max_length=200, label=_("Reference"))
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, such as 2026-03-08.")},
    )
    requester = forms.CharField(max_length=200, label=_("Requester"))
    scope = forms.ChoiceField(
        choices=[("", _("Choose what it covers")), *HoldScope.choices], label=_("What it covers")
    )
    user_email = forms.EmailField(required=False, label=_("User (email), for a user's writing"))
    article_slug = forms.SlugField(required=False, label=_("Article (slug), for its comments"))
    comment_ids = forms.CharField(
        required=False, max_length=2000, label=_("Comment numbers, separated by commas")
    )
    note = forms.CharField(
        required=False, max_length=4000, label=_("Note"), widget=forms.Textarea({"rows": 2})
    )

    def clean_received_on(self) -> date:
        value = self.cleaned_data["received_on"]
        if not date(2000, 1, 1) <= value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date between 1 January 2000 and today."))
        return value

    def clean_comment_ids(self) -> list[int]:
        raw = [part.strip().lstrip("#") for part in self.cleaned_data["comment_ids"].split(",")]
        if not all(part.isascii() and part.isdigit() and len(part) < 12 for part in raw if part):
            raise forms.ValidationError(_("Give comment numbers, separated by commas."))
        return [int(part) for part in raw if part]


class HoldReleaseForm(forms.Form):
    note = forms.CharField(max_length=2000, label=_("Why the hold is released"))
