"""The language of a text readers or editors wrote, as the models store it: decided
from its dominant script when it is saved (`core.script.language_of`), rendered as
`lang` and `dir`. The services that write a text set its language beside it; rows
written before a text had a language were filled by the migrations that added it."""

from __future__ import annotations

from django.db import models

from core import script


class TextLanguage(models.TextChoices):
    UNDETERMINED = script.UNDETERMINED, "Undetermined (no letters)"
    ENGLISH = script.ENGLISH, "English (Latin script)"
    URDU = script.URDU, "Urdu (Arabic script)"


def language_of(text: str) -> TextLanguage:
    """The language of `text` by its dominant script (core.script.language_of)."""
    return TextLanguage(script.language_of(text))


def language_field() -> models.CharField[str, str]:
    """The column beside a text that holds its language."""
    return models.CharField(
        max_length=8,
        choices=TextLanguage.choices,
        default=TextLanguage.UNDETERMINED,
        db_default=TextLanguage.UNDETERMINED.value,
        blank=True,
        editable=False,
    )


def language_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": TextLanguage.values}), name=name
    )


def lang_attrs(language: str) -> str:
    """` lang=".." dir=".."` for an element holding a text of that language: for an
    undetermined one only `dir="auto"` (the page's language stands)."""
    if language in (script.URDU, script.ENGLISH):
        return f' lang="{language}" dir="{script.direction_of(language)}"'
    return ' dir="auto"'
