"""People in the story: every write to the people an article concerns, and to the
site-wide protected list.

An editor lists a person for an article with a role (protected, accused, public
figure) and the ways their name is written; the site-wide list holds protected names
that must never appear anywhere. Moderators may add a spelling to an article's list
from the moderation queue (moderation.services.people calls `variant_add`). Each write
checks its actor, runs in a transaction, moves the article's `people_version` (every
article's, for the site-wide list: screening keeps its compiled matchers under it) and
writes an ArticleEvent (who, when, which person, which spellings).

Comments already published that a new name or spelling now matches must be taken back
for review, which is moderation's work (moderation.lifecycle), above this app: articles
imports no other app. So the writes that add a spelling send `people_listed` inside
their transaction, and moderation's receiver (moderation/services/people.py, connected
in moderation/apps.py) holds those comments and answers how many; the service returns
that count with the listing, for the editor or moderator to be told.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, ArticleEvent, Person, PersonRole, PersonVariant

if TYPE_CHECKING:
    # The project's user model, as django-stubs resolves it (see articles/services.py).
    from django.contrib.auth.models import _User as User

# Sent by every write that adds spellings to be screened for, inside its transaction:
#   article: Article | None   (None: the site-wide list)
#   person: Person
#   spellings: tuple[str, ...]   (new spellings, as typed; all of them when the role changed)
#   by: the account that made the change
#   now: datetime
# A receiver returns how many published comments it took back for review.
people_listed = Signal()

# Who may change the lists. Permission names, not imports: articles imports no other app.
EDIT_PEOPLE = "articles.publish_article"
# Moderators add spellings to an article's list from the queue.
ADD_VARIANT = (EDIT_PEOPLE, "comments.moderate_comment")

NAME_MAX = 120
# A spelling needs this many letters: one or two would match half the comments.
NAME_MIN_LETTERS = 3
_SPACES = re.compile(r"\s+")
# Variants are typed one per line or separated by commas (Latin or Urdu).
_SEPARATORS = re.compile(r"[\n,،;]+")


# Posting and listing take the same advisory locks (moderation.screening takes them
# shared for every post: posts never wait for each other; a listing takes its article's,
# or for the site-wide list the site's, alone). So a post screens with the lists its
# transaction can see, and a listing's check of published comments sees every post that
# was screened before it: no comment slips between the two.
PEOPLE_LOCK = 7302
SITE_WIDE_LOCK = 0


def lock_people(article_id: int | None) -> None:
    """Wait for the posts being screened on `article_id` (None: anywhere) to finish,
    and hold new ones back until this transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [PEOPLE_LOCK, SITE_WIDE_LOCK if article_id is None else article_id],
        )


class PeopleError(Exception):
    """A change to a list of people that cannot be made; the message says why."""


@dataclass(frozen=True)
class Listing:
    """What a write did: the person, and how many published comments the new
    spellings matched and moderation took back for review."""

    person: Person
    held: int = 0


def split_variants(text: str) -> list[str]:
    """The spellings typed in a box: one per line, or separated by commas."""
    return [part for part in (_clean(p) for p in _SEPARATORS.split(text or "")) if part]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _check_spelling(text: str) -> str:
    text = _clean(text)
    if not text:
        raise PeopleError(_("Type the name as it is written."))
    if len(text) > NAME_MAX:
        raise PeopleError(_("A name can have at most %(max)d characters.") % {"max": NAME_MAX})
    if sum(ch.isalpha() for ch in text) < NAME_MIN_LETTERS:
        raise PeopleError(
            _(
                "“%(text)s” is too short to list: a spelling needs at least %(min)d "
                "letters, or it would match words in ordinary comments."
            )
            % {"text": text, "min": NAME_MIN_LETTERS}
        )
    return text


def _require(user: User, perms: Iterable[str]) -> None:
    if not (user and user.is_authenticated and any(user.has_perm(p) for p in perms)):
        raise PermissionDenied("Only editors can change the people listed for an article.")


def _people_changed(article_id: int | None) -> None:
    """Move the version screening keys its matchers by: the article's, or every
    article's for the site-wide list."""
    rows = Article.objects.all() if article_id is None else Article.objects.filter(pk=article_id)
    rows.update(people_version=F("people_version") + 1)


def _log(
    *, person: Person, by: User, action: str, changes: dict[str, dict[str, object]], now: datetime
) -> None:
    changes = {"person": {"before": None, "after": person.name}, **changes}
    if person.article_id is None:
        changes["list"] = {"before": None, "after": "site-wide"}
    ArticleEvent.objects.create(
        article_id=person.article_id, actor=by, action=action, changes=changes, created_at=now
    )


def _announce(*, person: Person, spellings: tuple[str, ...], by: User, now: datetime) -> int:
    responses = people_listed.send(
        sender=Person,
        article=person.article,
        person=person,
        spellings=spellings,
        by=by,
        now=now,
    )
    held = 0
    for _receiver, response in responses:
        if isinstance(response, int):
            held += response
    return held


def person_list(
    *,
    article: Article | None,
    by: User,
    name: str,
    role: str,
    variants: Iterable[str] = (),
    note: str = "",
    now: datetime | None = None,
) -> Listing:
    """List a person for `article` (None: the site-wide protected list) with their
    role and the other ways their name is written. Published comments that now
    match are taken back for review (see `people_listed`)."""
    _require(by, [EDIT_PEOPLE])
    now = now or timezone.now()
    name = _check_spelling(name)
    if role not in PersonRole.values:
        raise PeopleError(_("Choose a role: protected, accused or public figure."))
    if article is None and role != PersonRole.PROTECTED:
        raise PeopleError(_("The site-wide list is for protected names only."))
    spellings = [name]
    for variant in variants:
        variant = _check_spelling(variant)
        if variant.casefold() not in {s.casefold() for s in spellings}:
            spellings.append(variant)
    note = _clean(note)[:300]
    with transaction.atomic():
        lock_people(article.pk if article is not None else None)
        try:
            with transaction.atomic():
                person = Person.objects.create(
                    article=article,
                    name=name,
                    role=role,
                    note=note,
                    created_by=by,
                    created_at=now,
                )
        except IntegrityError:
            message = (
                _("%(name)s is already listed on the site-wide list.")
                if article is None
                else _("%(name)s is already listed for this article.")
            )
            raise PeopleError(message % {"name": name}) from None
        PersonVariant.objects.bulk_create(
            PersonVariant(person=person, text=text, added_by=by, added_at=now)
            for text in spellings[1:]
        )
        _people_changed(person.article_id)
        _log(
            person=person,
            by=by,
            action="person.listed",
            changes={
                "role": {"before": None, "after": role},
                "spellings": {"before": None, "after": spellings[1:]},
            },
            now=now,
        )
        held = _announce(person=person, spellings=tuple(spellings), by=by, now=now)
    return Listing(person=person, held=held)


def person_change(
    *, person: Person, by: User, role: str, note: str, now: datetime | None = None
) -> Listing:
    """Change a listed person's role or note. A new role screens every spelling
    afresh, so comments it now concerns are taken back for review."""
    _require(by, [EDIT_PEOPLE])
    now = now or timezone.now()
    if role not in PersonRole.values:
        raise PeopleError(_("Choose a role: protected, accused or public figure."))
    note = _clean(note)[:300]
    with transaction.atomic():
        lock_people(person.article_id)
        current = Person.objects.select_for_update().get(pk=person.pk)
        if current.article_id is None and role != PersonRole.PROTECTED:
            raise PeopleError(_("The site-wide list is for protected names only."))
        changes: dict[str, dict[str, object]] = {}
        if current.role != role:
            changes["role"] = {"before": current.role, "after": role}
        if current.note != note:
            changes["note"] = {"before": current.note, "after": note}
        if not changes:
            return Listing(person=current)
        current.role = role
        current.note = note
        current.save(update_fields=["role", "note"])
        _people_changed(current.article_id)
        _log(person=current, by=by, action="person.changed", changes=changes, now=now)
        held = 0
        if "role" in changes:
            spellings = (
                current.name,
                *current.variants.order_by("id").values_list("text", flat=True),
            )
            held = _announce(person=current, spellings=spellings, by=by, now=now)
    return Listing(person=current, held=held)


def person_remove(*, person: Person, by: User, now: datetime | None = None) -> None:
    """Take a person off the list, with their spellings. Comments held because of
    them stay held: a moderator decides each."""
    _require(by, [EDIT_PEOPLE])
    now = now or timezone.now()
    with transaction.atomic():
        lock_people(person.article_id)
        current = Person.objects.select_for_update().filter(pk=person.pk).first()
        if current is None:
            raise PeopleError(_("That person was already removed from the list."))
        spellings = list(current.variants.order_by("id").values_list("text", flat=True))
        _log(
            person=current,
            by=by,
            action="person.removed",
            changes={
                "role": {"before": current.role, "after": None},
                "spellings": {"before": spellings, "after": None},
            },
            now=now,
        )
        article_id = current.article_id
        current.delete()
        _people_changed(article_id)


def variant_add(*, person: Person, by: User, text: str, now: datetime | None = None) -> Listing:
    """Add another way the person's name is written. Editors may add to any list;
    moderators, from the queue, to an article's. Published comments that the new
    spelling matches are taken back for review."""
    _require(by, ADD_VARIANT if person.article_id is not None else [EDIT_PEOPLE])
    now = now or timezone.now()
    text = _check_spelling(text)
    with transaction.atomic():
        lock_people(person.article_id)
        current = Person.objects.select_for_update().filter(pk=person.pk).first()
        if current is None:
            raise PeopleError(_("That person is no longer listed."))
        if text.casefold() == current.name.casefold():
            raise PeopleError(
                _("“%(text)s” is already listed for %(name)s.")
                % {"text": text, "name": current.name}
            )
        try:
            with transaction.atomic():
                PersonVariant.objects.create(person=current, text=text, added_by=by, added_at=now)
        except IntegrityError:
            raise PeopleError(
                _("“%(text)s” is already listed for %(name)s.")
                % {"text": text, "name": current.name}
            ) from None
        _people_changed(current.article_id)
        _log(
            person=current,
            by=by,
            action="person.variant_added",
            changes={"spelling": {"before": None, "after": text}},
            now=now,
        )
        held = _announce(person=current, spellings=(text,), by=by, now=now)
    return Listing(person=current, held=held)


def variant_remove(*, variant: PersonVariant, by: User, now: datetime | None = None) -> None:
    """Take one spelling off a person's list."""
    _require(by, [EDIT_PEOPLE])
    now = now or timezone.now()
    with transaction.atomic():
        current = PersonVariant.objects.select_related("person").filter(pk=variant.pk).first()
        if current is None:
            raise PeopleError(_("That spelling was already removed."))
        _log(
            person=current.person,
            by=by,
            action="person.variant_removed",
            changes={"spelling": {"before": current.text, "after": None}},
            now=now,
        )
        current.delete()
        _people_changed(current.person.article_id)
