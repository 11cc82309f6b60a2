"""People in the story, moderators' side.

- `comments_recheck`: when a name or spelling is listed (articles.people announces it
  with `people_listed`; moderation/apps.py connects `on_people_listed`), the published
  and held comments it now matches, on the article (on every article for the site-wide
  list), are taken back for review through moderation.lifecycle.hold_for_people, in the
  transaction that listed it. The count goes back to whoever listed it.
- `people_variant_add`: a moderator adds a spelling to an article's list from a queue
  item; articles.people writes it (and logs it on the article), this writes the
  moderation audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from articles import people as article_people
from articles.models import Article, Person, PersonRole
from comments.models import Comment, CommentStatus
from moderation import audit, lifecycle, people_rules, rules
from moderation.lifecycle import ModerationError
from moderation.models import ActionCode
from moderation.screening import people_matcher_now
from moderation.services.decisions import require_moderator
from moderation.textfold import fold_name

_CHUNK = 2000


def comments_recheck(
    *,
    article: Article | None,
    person: Person,
    spellings: Sequence[str],
    by: User,
    now: datetime,
) -> int:
    """Hold the published (and note on the held) comments that `spellings` of
    `person` now match, on `article` or, for the site-wide list (None), everywhere.
    Returns how many published comments readers no longer see."""
    if person.role == PersonRole.PUBLIC_FIGURE:
        return 0
    wanted = {folded for folded in (fold_name(s) for s in spellings) if folded}
    if not wanted:
        return 0
    rows = Comment.objects.filter(status__in=[CommentStatus.PUBLISHED, CommentStatus.PENDING])
    if article is not None:
        rows = rows.filter(article_id=article.pk)
    matchers: dict[int, people_rules.PeopleMatcher] = {}
    held = 0
    for pk, article_id, body in (
        rows.order_by("id").values_list("id", "article_id", "body").iterator(chunk_size=_CHUNK)
    ):
        folded = fold_name(body)
        # Most comments do not contain the new spelling at all: a substring test
        # skips them before the word-by-word matcher runs.
        if not any(w in folded for w in wanted):
            continue
        matcher = matchers.get(article_id)
        if matcher is None:
            matcher = matchers[article_id] = people_matcher_now(article_id=article_id)
        hits = [
            rules.Hit(f.code, rules.RuleAction.HOLD, f.match, f.detail)
            for f in people_rules.people_findings(body, people_rules.PeopleCheck(matcher))
            if f.person == person.pk and f.spelling in wanted
        ]
        if hits and lifecycle.hold_for_people(
            comment=Comment.objects.get(pk=pk), hits=hits, by=by, now=now
        ):
            held += 1
    return held


def on_people_listed(
    sender: type[Person],
    *,
    article: Article | None,
    person: Person,
    spellings: Sequence[str],
    by: User,
    now: datetime,
    **kwargs: Any,
) -> int:
    """The receiver of articles.people.people_listed."""
    return comments_recheck(article=article, person=person, spellings=spellings, by=by, now=now)


def people_variant_add(
    *, comment: Comment, person_id: int, text: str, by: User, now: datetime | None = None
) -> article_people.Listing:
    """A moderator adds a spelling of a person listed for `comment`'s article, from
    the comment's queue item. Comments it now matches are taken back for review
    (their count is on the returned listing)."""
    require_moderator(by)
    now = now or timezone.now()
    person = Person.objects.filter(pk=person_id, article_id=comment.article_id).first()
    if person is None:
        raise ModerationError(_("Choose one of the people listed for this comment's article."))
    with transaction.atomic():
        try:
            listing = article_people.variant_add(person=person, by=by, text=text, now=now)
        except article_people.PeopleError as exc:
            raise ModerationError(str(exc)) from None
        audit.record(
            action=ActionCode.PEOPLE_VARIANT_ADDED,
            actor=by,
            comment=comment,
            reason=person.role,
            note=f"“{text.strip()}” for {person.name}",
            data={
                "article_id": comment.article_id,
                "person_id": person.pk,
                "person": person.name,
                "role": person.role,
                "spelling": text.strip(),
                "held": listing.held,
            },
            now=now,
        )
    return listing
