"""Display names: what readers are shown as beside every comment.

A name must be recognisably a person's, unique ignoring case, and must not pass
for the newsroom's staff: readers trust a "Moderator" badge-like name."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import ROLE_GROUPS

DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 40

# Words that would make a reader look like staff, compared after folding.
_STAFF_WORDS = ("moderator", "moderation", "admin", "editor", "metoo", "staff", "official")
_SPACES = re.compile(r"\s+")
# Characters that let two names look alike or hide text: controls, format marks.
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def normalize_display_name(name: str | None) -> str:
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _HIDDEN_CATEGORIES)
    return _SPACES.sub(" ", name).strip()


def fold(name: str) -> str:
    """Comparison key: NFKC, case-folded, letters and digits only, so "Ad-min",
    "ＡＤＭＩＮ" and "a d m i n" compare equal."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    folded = folded.replace("0", "o").replace("1", "i").replace("3", "e").replace("4", "a")
    return "".join(ch for ch in folded if ch.isalnum())


def display_name_problem(name: str, *, exclude_user_id: int | None = None) -> str | None:
    """Why `name` (already normalised) cannot be used, or None when it can."""
    if len(name) < DISPLAY_NAME_MIN:
        return _("Your display name needs at least %(min)d characters.") % {"min": DISPLAY_NAME_MIN}
    if len(name) > DISPLAY_NAME_MAX:
        return _("Your display name can have at most %(max)d characters.") % {
            "max": DISPLAY_NAME_MAX
        }
    if not any(ch.isalpha() for ch in name):
        return _("Your display name needs at least one letter.")
    key = fold(name)
    if any(word in key for word in _STAFF_WORDS):
        return _("That name could be mistaken for the newsroom's staff; please choose another.")
    others = User.objects.exclude(pk=exclude_user_id) if exclude_user_id else User.objects.all()
    if others.filter(display_name__iexact=name).exists():
        return _("That display name is taken; please choose another.")
    staff_names = (
        others.filter(
            Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=ROLE_GROUPS.values())
        )
        .values_list("display_name", flat=True)
        .distinct()
    )
    if any(fold(staff) == key for staff in staff_names):
        return _("That name could be mistaken for the newsroom's staff; please choose another.")
    return None
