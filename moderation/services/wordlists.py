"""The blocked and held word lists moderators keep. Screening reads them from the
shared cache (moderation.screening.word_lists); each change moves their version."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from moderation import audit, textfold
from moderation.lifecycle import ModerationError
from moderation.models import ActionCode, WordListEntry, WordListKind
from moderation.screening import word_lists_changed
from moderation.services.decisions import require_moderator


def wordlist_add(*, term: str, kind: str, by: User, now: datetime | None = None) -> WordListEntry:
    """List a term to block or hold. Two terms that screening cannot tell apart are one
    entry: they are kept unique by the fold screening matches with (textfold.fold), so
    "Word", "WORD" and full-width "ｗｏｒｄ", or علي and علی (Arabic and Urdu ye), or a
    word with and without its diacritics, cannot be listed twice."""
    now = now or timezone.now()
    require_moderator(by)
    term = " ".join((term or "").split())
    if not term:
        raise ModerationError(_("Type a word or phrase to list."))
    if len(term) > 100:
        raise ModerationError(_("Terms can be at most 100 characters."))
    if kind not in WordListKind.values:
        raise ModerationError(_("Choose block or hold."))
    normalized = textfold.fold(term)
    if not normalized:
        raise ModerationError(_("Type a word or phrase to list."))
    if len(normalized) > 100:
        raise ModerationError(_("Terms can be at most 100 characters."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = WordListEntry.objects.create(
                    term=term, normalized=normalized, kind=kind, created_by=by, created_at=now
                )
        except IntegrityError:
            raise ModerationError(_("“%(term)s” is already listed.") % {"term": term}) from None
        word_lists_changed()
        audit.record(
            action=ActionCode.WORD_ADDED,
            actor=by,
            reason=kind,
            note=term,
            data={"term": term, "kind": kind},
            now=now,
        )
    return entry


def wordlist_remove(*, entry: WordListEntry, by: User, now: datetime | None = None) -> None:
    """Take a term off its list."""
    now = now or timezone.now()
    require_moderator(by)
    with transaction.atomic():
        deleted, _per_model = WordListEntry.objects.filter(pk=entry.pk).delete()
        if not deleted:
            raise ModerationError(_("That term was already removed."))
        word_lists_changed()
        audit.record(
            action=ActionCode.WORD_REMOVED,
            actor=by,
            reason=entry.kind,
            note=entry.term,
            data={"term": entry.term, "kind": entry.kind},
            now=now,
        )
