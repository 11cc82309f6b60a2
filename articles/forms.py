"""Forms for the editor desk: they validate and normalise; services do the writing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from articles.models import Article, CommentsMode, PersonRole, Section
from core.forms import DateTimeInRangeField


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200, label=gettext_lazy("Title"))
    standfirst = forms.CharField(
        max_length=400,
        required=False,
        label=gettext_lazy("Standfirst"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "One or two sentences under the headline; also the summary in feeds."
        ),
    )
    body = forms.CharField(
        required=False,
        label=gettext_lazy("Body"),
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown-input"}),
        help_text=gettext_lazy(
            "Markdown: ## headings, *emphasis*, [links](https://…), lists, > quotes, "
            "![images](https://…)."
        ),
    )
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(), empty_label=None, label=gettext_lazy("Section")
    )
    byline = forms.CharField(
        max_length=120,
        required=False,
        label=gettext_lazy("Byline"),
        help_text=gettext_lazy("Empty: your name."),
    )
    slug = forms.SlugField(
        max_length=120,
        required=False,
        label=gettext_lazy("Slug"),
        help_text=gettext_lazy(
            "The address: /articles/<slug>/. Empty: made from the title. Fixed once published."
        ),
    )
    comments_mode = forms.ChoiceField(
        choices=[("", gettext_lazy("The section's default")), *CommentsMode.choices],
        required=False,
        label=gettext_lazy("Comments"),
    )
    comments_close_after_days = forms.IntegerField(
        min_value=0,
        max_value=3650,
        required=False,
        label=gettext_lazy("Close comments after (days)"),
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
            ngettext(
                "Empty: the site default (%(days)d day). 0: never.",
                "Empty: the site default (%(days)d days). 0: never.",
                default,
            )
            % {"days": default}
            if default
            else _("Empty: the site default (never). 0: never.")
        )
        if article is not None:
            # An existing article always has a mode of its own.
            mode = self.fields["comments_mode"]
            assert isinstance(mode, forms.ChoiceField)
            mode.choices = CommentsMode.choices
            mode.required = True
            if article.slug_frozen:
                self.fields["slug"].disabled = True
                self.fields["slug"].help_text = _("Fixed: the article is published or scheduled.")

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
                raise forms.ValidationError(_("Another article has this slug."))
        return slug


class ScheduleForm(forms.Form):
    publish_at = DateTimeInRangeField(
        label=gettext_lazy("Publish at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].help_text = _(
            "%(zone)s time. The article appears by itself then."
        ) % {"zone": settings.TIME_ZONE}

    def clean_publish_at(self) -> datetime:
        when: datetime = self.cleaned_data["publish_at"]
        if when <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future, or publish now."))
        return when


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=200_000)


# ---------------------------------------------------------------- people in the story

_VARIANTS_HELP = gettext_lazy(
    "One per line, or separated by commas: other English spellings, the name in Urdu "
    "script, nicknames, initials with the surname (“A. Khan”). Case, accents, Urdu "
    "letter forms and common Roman Urdu spellings (Ayesha and Aisha, Mohammad and "
    "Muhammad, Saleem and Salim) already match without listing them."
)


class PersonForm(forms.Form):
    """List a person for an article."""

    name = forms.CharField(
        max_length=120,
        label=gettext_lazy("Name"),
        help_text=gettext_lazy("As people will write it: “Ayesha Khan”."),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        choices=PersonRole.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Role"),
        help_text=gettext_lazy(
            "Protected: comments naming them are held before anyone reads them. "
            "Accused: comments saying they are guilty are held. Public figure: listed so a "
            "namesake is not mistaken for someone protected."
        ),
    )
    variants = forms.CharField(
        required=False,
        label=gettext_lazy("Other spellings"),
        help_text=_VARIANTS_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("Note for the newsroom"),
        help_text=gettext_lazy("Why they are listed; never shown to readers."),
    )


class ProtectedNameForm(forms.Form):
    """List a name on the site-wide protected list."""

    name = forms.CharField(
        max_length=120,
        label=gettext_lazy("Name"),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    variants = forms.CharField(
        required=False,
        label=gettext_lazy("Other spellings"),
        help_text=_VARIANTS_HELP,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        label=gettext_lazy("Why (for the newsroom)"),
        help_text=gettext_lazy(
            "The court order or legal hold, with its reference; never shown to readers."
        ),
    )


class PersonChangeForm(forms.Form):
    role = forms.ChoiceField(choices=PersonRole.choices, label=gettext_lazy("Role"))
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("Note"))


class SpellingForm(forms.Form):
    text = forms.CharField(
        max_length=120,
        label=gettext_lazy("Another spelling"),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
