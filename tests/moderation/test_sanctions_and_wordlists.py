from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from moderation import services
from moderation.models import ModerationAction, Sanction, WordListEntry

pytestmark = pytest.mark.django_db


def test_ban_writes_a_sanction_and_an_audit_row(moderator, reader):
    ban = services.sanction_apply(user=reader, by=moderator, kind="ban", reason="Doxxing")
    assert (ban.kind, ban.created_by, ban.until) == ("ban", moderator, None)
    row = ModerationAction.objects.get(action="moderation.user.banned")
    assert (row.actor, row.target_user, row.note) == (moderator, reader, "Doxxing")


def test_suspension_needs_a_future_end(moderator, reader):
    with pytest.raises(services.ModerationError, match="end time"):
        services.sanction_apply(user=reader, by=moderator, kind="suspend", reason="x")
    with pytest.raises(services.ModerationError, match="future"):
        services.sanction_apply(
            user=reader,
            by=moderator,
            kind="suspend",
            reason="x",
            until=timezone.now() - timedelta(hours=1),
        )
    assert not Sanction.objects.exists()


def test_sanction_needs_a_reason(moderator, reader):
    with pytest.raises(services.ModerationError, match="reason"):
        services.sanction_apply(user=reader, by=moderator, kind="ban", reason="  ")


def test_moderators_cannot_sanction_each_other_or_themselves(moderator, other_moderator):
    with pytest.raises(services.ModerationError):
        services.sanction_apply(user=other_moderator, by=moderator, kind="ban", reason="x")
    with pytest.raises(services.ModerationError):
        services.sanction_apply(user=moderator, by=moderator, kind="ban", reason="x")


def test_reader_cannot_sanction(reader, other_reader):
    with pytest.raises(PermissionDenied):
        services.sanction_apply(user=other_reader, by=reader, kind="ban", reason="x")


def test_lift_is_audited_and_cannot_happen_twice(moderator, reader):
    ban = services.sanction_apply(user=reader, by=moderator, kind="ban", reason="Abuse")
    lifted = services.sanction_lift(sanction=ban, by=moderator, reason="Apologised")
    assert lifted.lifted_by == moderator and lifted.lifted_at is not None
    assert ModerationAction.objects.get(action="moderation.user.sanction_lifted").note == (
        "Apologised"
    )
    with pytest.raises(services.ModerationError, match="already lifted"):
        services.sanction_lift(sanction=ban, by=moderator, reason="again")


def test_note_about_a_user_lands_in_the_audit_log(moderator, reader):
    services.user_note_add(user=reader, by=moderator, note="Warned by email on Nov 13")
    row = ModerationAction.objects.get(action="moderation.user.noted")
    assert (row.target_user, row.note) == (reader, "Warned by email on Nov 13")


def test_word_list_entries_are_unique_after_normalising(moderator):
    services.wordlist_add(term="Liar", kind="hold", by=moderator)
    with pytest.raises(services.ModerationError, match="already listed"):
        services.wordlist_add(term="ＬＩＡＲ", kind="block", by=moderator)
    assert WordListEntry.objects.count() == 1
    assert ModerationAction.objects.filter(action="moderation.wordlist.added").count() == 1


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("علي", "علی"),  # Arabic ye, Urdu ye
        ("كمينه", "کمینہ"),  # Arabic kaf and heh, Urdu kaf and heh goal
        ("ذلیل", "ذَلِیل"),  # with and without diacritics
        ("jaahil", "Jahil"),  # a Roman Urdu spelling variant
        ("#JusticeForAyesha", "justice for ayesha"),  # a hashtag reads as its words
    ],
)
def test_terms_screening_cannot_tell_apart_are_one_entry(moderator, first, again):
    services.wordlist_add(term=first, kind="hold", by=moderator)
    with pytest.raises(services.ModerationError, match="already listed"):
        services.wordlist_add(term=again, kind="block", by=moderator)
    assert WordListEntry.objects.count() == 1


def test_word_list_refuses_empty_terms_and_bad_kinds(moderator):
    with pytest.raises(services.ModerationError):
        services.wordlist_add(term="   ", kind="hold", by=moderator)
    with pytest.raises(services.ModerationError):
        services.wordlist_add(term="ok", kind="shout", by=moderator)
    assert not WordListEntry.objects.exists()


def test_removing_a_term_is_audited(moderator):
    entry = services.wordlist_add(term="liar", kind="hold", by=moderator)
    services.wordlist_remove(entry=entry, by=moderator)
    assert not WordListEntry.objects.exists()
    row = ModerationAction.objects.get(action="moderation.wordlist.removed")
    assert row.data == {"term": "liar", "kind": "hold"}


def test_the_migration_folds_stored_entries_and_keeps_the_first_of_a_pair(moderator):
    # moderation 0009: entries listed under the old NFKC-and-case rule.
    refold = importlib.import_module("moderation.migrations.0009_wordlist_fold").refold
    arabic = WordListEntry.objects.create(term="علي", normalized="علي", kind="hold")
    WordListEntry.objects.create(term="علی", normalized="علی", kind="block")
    tag = WordListEntry.objects.create(term="#MeToo", normalized="#metoo", kind="hold")
    refold(apps, None)
    assert sorted(WordListEntry.objects.values_list("pk", "normalized")) == [
        (arabic.pk, "علی"),
        (tag.pk, "me tu"),
    ]
