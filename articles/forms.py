"""Forms for the editor desk: they validate and normalise; services do the writing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, CommentsMode, PersonRole, Section
from core.forms import DateTimeInRangeField


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    standfirst = forms.CharField(
        max_length=400,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences under the headline; also the summary in feeds.",
    )
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown-input"}),
        help_text="Markdown: ## headings, *emphasis*, [links](https://…), lists, > quotes, "
        "![images](https://…).",
    )
    section = forms.ModelChoiceField(queryset=Section.objects.none(), empty_label=None)
    byline = forms.CharField(max_length=120, required=False, help_text="Empty: your name.")
    slug = forms.SlugField(
        max_length=120,
        required=False,
        help_text="The address: /articles/<slug>/. Empty: made from the title. "
        "Fixed once published.",
    )
    comments_mode = forms.ChoiceField(
        choices=[("", "The section's default"), *CommentsMode.choices],
        required=False,
        label="Comments",
    )
    comments_close_after_days = forms.IntegerField(
        min_value=0,
        max_value=3650,
        required=False,
        label="Close comments after (days)",
    )

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.article = article
        section = self.fields["section"]
        assert isinstance(section, forms.ModelChoiceField)
        section.queryset = Section.objects.order_by("position", "name")
        # htmx re-renders the preview as the editor types; the Preview button does the
        # same without JavaScript.
        self.fields["body"].widget.attrs.update(
            {
                "data-hx-post": reverse("desk:preview"),
                "data-hx-trigger": "input changed delay:400ms",
                "data-hx-target": "#preview-body",
                "data-hx-swap": "outerHTML",
                "data-hx-sync": "this:replace",
            }
        )
        default = settings.COMMENTS_CLOSE_AFTER_DAYS
        self.fields["comments_close_after_days"].help_text = (
            f"Empty: the site default ({default} days). 0: never."
            if default
            else "Empty: the site default (never). 0: never."
        )
        if article is not None:
            # An existing article always has a mode of its own.
            mode = self.fields["comments_mode"]
            assert isinstance(mode, forms.ChoiceField)
            mode.choices = CommentsMode.choices
            mode.required = True
            if article.slug_frozen:
                self.fields["slug"].disabled = True
                self.fields["slug"].help_text = "Fixed: the article is published or scheduled."

    @classmethod
    def initial_for(cls, article: Article) -> dict[str, Any]:
        return {
            "title": article.title,
            "standfirst": article.standfirst,
            "body": article.body,
            "section": article.section_id,
            "byline": article.byline,
            "slug": article.slug,
            "comments_mode": article.comments_mode,
            "comments_close_after_days": article.comments_close_after_days,
        }

    def clean_slug(self) -> str:
        slug = (self.cleaned_data.get("slug") or "").lower()
        if self.article is not None and self.article.slug_frozen:
            return self.article.slug
        if slug:
            taken = Article.objects.filter(slug=slug)
            if self.article is not None:
                taken = taken.exclude(pk=self.article.pk)
            if taken.exists():
                raise forms.ValidationError("Another article has this slug.")
        return slug


class ScheduleForm(forms.Form):
    publish_at = DateTimeInRangeField(
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "publish_at"
        ].help_text = f"{settings.TIME_ZONE} time. The article appears by itself then."

    def clean_publish_at(self) -> datetime:
        when: datetime = self.cleaned_data["publish_at"]
        if when <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or publish now.")
        return when


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=200_000)


# ---------------------------------------------------------------- people in the story

_VARIANTS_HELP = (
    "One per line, or separated by commas: other English spellings, the name in Urdu "
    "script, nicknames, initials with the surname (“A. Khan”). Case, accents, Urdu "
    "letter forms and common Roman Urdu spellings (Ayesha and Aisha, Mohammad and "
    "Muhammad, Saleem and Salim) already match without listing them."
)


class PersonForm(forms.Form):
    """List a person for an article."""

    name = forms.CharField(
        max_length=120,
        label="Name",
        help_text="As people will write it: “Ayesha Khan”.",
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        choices=PersonRole.choices,
        widget=forms.RadioSelect,
        label="Role",
        help_text="Protected: comments naming them are held before anyone reads them. "
        "Accused: comments saying they are guilty are held. Public figure: listed so a "
        "namesake is not mistaken for someone protected.",
    )
    variants = forms.CharField(
        required=False,
        label="Other spellings",
        help_text=_VARIANTS_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label="Note for the newsroom",
        help_text="Why they are listed; never shown to readers.",
    )


class ProtectedNameForm(forms.Form):
    """List a name on the site-wide protected list."""

    name = forms.CharField(
        max_length=120,
        label="Name",
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    variants = forms.CharField(
        required=False,
        label="Other spellings",
        help_text=_VARIANTS_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label="Why (for the newsroom)",
        help_text="The court order or legal hold, with its reference; never shown to readers.",
    )


class PersonChangeForm(forms.Form):
    role = forms.ChoiceField(choices=PersonRole.choices, label="Role")
    note = forms.CharField(max_length=300, required=False, label="Note")


class SpellingForm(forms.Form):
    text = forms.CharField(
        max_length=120,
        label="Another spelling",
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
