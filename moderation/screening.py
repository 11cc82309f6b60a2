"""Screening: the facts about a submission that need the database, handed to the
pure rules (moderation.rules), which know no model.

Pure reads, no writes. `screen_submission` runs on every post and edit:
sanctions in force, the word lists (from the shared cache), and the author's
recent history in one aggregate. It refuses outright (AuthorRefused, nothing
stored) when the author may not post at all; otherwise it returns the hits,
from which moderation.lifecycle.status_for_verdict gives the status."""

from __future__ import annotations

import time
from collections import OrderedDict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from articles.models import Article, CommentsMode
from articles.people import PEOPLE_LOCK, SITE_WIDE_LOCK
from articles.selectors import ScreenedPerson, people_to_screen
from comments.models import Comment, CommentStatus
from core.dates import newsdate
from moderation import people_rules, rules, scoring
from moderation.models import Sanction, SanctionKind, WordListEntry, WordListKind


class AuthorRefused(Exception):
    """The author may not post right now (banned, suspended, or posting too fast).
    Nothing is stored; the message is for the reader."""


# ---------------------------------------------------------------- sanctions

_STRENGTH: dict[str, int] = {
    SanctionKind.BAN: 0,
    SanctionKind.SUSPEND: 1,
    SanctionKind.PREMODERATE: 2,
}


def active_sanctions(*, user: User, now: datetime) -> list[Sanction]:
    """Sanctions in force for `user` at `now`, strongest first."""
    if not user.pk:
        return []
    found = Sanction.objects.filter(user_id=user.pk).in_force(now)
    return sorted(found.order_by("created_at", "id"), key=lambda s: _STRENGTH[s.kind])


def _refuse_if_sanctioned(sanctions: list[Sanction]) -> bool:
    """Raise for a ban or suspension; return True when the author is premoderated."""
    for sanction in sanctions:
        if sanction.kind == SanctionKind.BAN:
            if sanction.until:
                raise AuthorRefused(
                    _(
                        "Your account has been banned from commenting until %(date)s. "
                        "Reason: %(reason)s"
                    )
                    % {"date": newsdate(sanction.until), "reason": sanction.reason}
                )
            raise AuthorRefused(
                _("Your account has been banned from commenting. Reason: %(reason)s")
                % {"reason": sanction.reason}
            )
        if sanction.kind == SanctionKind.SUSPEND:
            raise AuthorRefused(
                _("Your account is suspended from commenting until %(date)s. Reason: %(reason)s")
                % {"date": newsdate(sanction.until), "reason": sanction.reason}
            )
    return any(s.kind == SanctionKind.PREMODERATE for s in sanctions)


# ---------------------------------------------------------------- word lists

_WORDLIST_VERSION_KEY = "moderation:wordlist-version"
_WORDLIST_VERSION_TIMEOUT = 30 * 24 * 3600


def word_lists_changed() -> None:
    """After commit, a fresh version: a list read before the change and cached
    late lands under the old version, which nobody reads again."""
    transaction.on_commit(
        lambda: cache.set(_WORDLIST_VERSION_KEY, time.time_ns(), _WORDLIST_VERSION_TIMEOUT)
    )


def word_lists() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The blocked and held terms, as stored (normalised). Read on every post, so
    kept in the shared cache under a version that word_lists_changed moves."""
    version = cache.get(_WORDLIST_VERSION_KEY)
    if version is None:
        cache.add(_WORDLIST_VERSION_KEY, time.time_ns(), _WORDLIST_VERSION_TIMEOUT)
        version = cache.get(_WORDLIST_VERSION_KEY)
    key = f"moderation:wordlists:{version}"
    lists: tuple[tuple[str, ...], tuple[str, ...]] | None = (
        cache.get(key) if version is not None else None
    )
    if lists is None:
        block: list[str] = []
        hold: list[str] = []
        entries = WordListEntry.objects.order_by("id").values_list("normalized", "kind")
        for normalized, kind in entries:
            (block if kind == WordListKind.BLOCK else hold).append(normalized)
        lists = (tuple(block), tuple(hold))
        if version is not None:
            cache.set(key, lists, 24 * 3600)
    return lists


# ---------------------------------------------------------------- people in the story

# Compiled matchers, per process, under (article id, people_version): the version moves
# with every change to the article's list and to the site-wide list (articles.people).
# A post reads it afresh, with the advisory locks a listing waits for, in one short
# query; the matcher itself is compiled once per version. The age limit is a backstop.
_MATCHERS: OrderedDict[tuple[int, int], tuple[float, people_rules.PeopleMatcher]] = OrderedDict()
_MATCHERS_MAX = 512
_MATCHER_MAX_AGE = 600.0


def _listed(people: list[ScreenedPerson]) -> people_rules.PeopleMatcher:
    return people_rules.PeopleMatcher(
        people_rules.ListedPerson(
            key=p.id, name=p.name, role=p.role, spellings=p.spellings, site_wide=p.site_wide
        )
        for p in people
    )


def people_version(*, article_id: int) -> int:
    """The article's people_version, read with the locks that keep a post and a new
    listing apart (articles.people.lock_people): shared, so posts never wait for each
    other; held to the end of the transaction. For an edit; a new post gets it from
    `posting_locks`, in the query that serialises its author's posts."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock_shared(%s, %s), pg_advisory_xact_lock_shared(%s, %s),"
            " people_version FROM articles_article WHERE id = %s",
            [PEOPLE_LOCK, article_id, PEOPLE_LOCK, SITE_WIDE_LOCK, article_id],
        )
        row = cursor.fetchone()
    return int(row[2]) if row else 0


# Held by a post from its duplicate check to its commit: one author's posts one at a time.
AUTHOR_POSTING_LOCK = 7301


def posting_locks(*, author_id: int, article_id: int) -> int:
    """The locks a new comment holds to the end of its posting transaction, in one
    round trip: its author's (exclusive: a double click cannot race past the
    duplicate check) and the people-in-the-story ones (shared, as `people_version`
    takes them). Returns the article's people_version, read under them, for
    `screen_submission`: the post reads nothing more to know whose names to screen."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s), pg_advisory_xact_lock_shared(%s, %s),"
            " pg_advisory_xact_lock_shared(%s, %s),"
            " (SELECT people_version FROM articles_article WHERE id = %s)",
            [
                AUTHOR_POSTING_LOCK,
                author_id,
                PEOPLE_LOCK,
                article_id,
                PEOPLE_LOCK,
                SITE_WIDE_LOCK,
                article_id,
            ],
        )
        row = cursor.fetchone()
    return int(row[3]) if row and row[3] is not None else 0


def people_matcher(*, article: Article, version: int | None = None) -> people_rules.PeopleMatcher:
    """The matcher of the people listed for `article` and site-wide, as they are now
    (not as the article object passed in last saw them). `version`: the article's
    people_version as `posting_locks` read it in this transaction; without it, it is
    read here (with the same shared locks)."""
    if version is None:
        version = people_version(article_id=article.pk)
    key = (article.pk, version)
    now = time.monotonic()
    cached = _MATCHERS.get(key)
    if cached is not None and cached[0] > now:
        _MATCHERS.move_to_end(key)
        return cached[1]
    matcher = _listed(people_to_screen(article_id=article.pk))
    _MATCHERS[key] = (now + _MATCHER_MAX_AGE, matcher)
    while len(_MATCHERS) > _MATCHERS_MAX:
        _MATCHERS.popitem(last=False)
    return matcher


def people_matcher_now(*, article_id: int | None) -> people_rules.PeopleMatcher:
    """The matcher read afresh, not cached: for `article_id`'s people and the site-wide
    list, or (None) the site-wide list alone (display names, the "try a text" box, and
    checking comments again inside the transaction that listed a name)."""
    return _listed(people_to_screen(article_id=article_id))


def people_check(
    *, matcher: people_rules.PeopleMatcher, author_name: str = ""
) -> people_rules.PeopleCheck | None:
    """What the people rules get on a Submission: None when nobody is listed."""
    if not matcher:
        return None
    return people_rules.PeopleCheck(matcher=matcher, author_name=author_name)


def people_reject() -> bool:
    return settings.MODERATION_PROTECTED_NAMES == "reject"


# ---------------------------------------------------------------- the screen


def screen_submission(
    *,
    author: User,
    article: Article,
    body: str,
    editing: Comment | None = None,
    now: datetime | None = None,
    people_version: int | None = None,
) -> rules.Verdict:
    """Run every screening rule on a new comment, or on an edit of `editing`.
    `people_version`: what `posting_locks` returned, when the caller took them.

    Raises AuthorRefused, storing nothing, when the author may not post at all
    (banned, suspended, flooding); otherwise returns the hits. Flood and
    new-account checks apply to new comments only: an edit is not another post."""
    now = now or timezone.now()
    premoderated = _refuse_if_sanctioned(active_sanctions(user=author, now=now))
    mine = Comment.objects.filter(author_id=author.pk)
    if editing is not None:
        mine = mine.exclude(pk=editing.pk)

    # The author's history in one aggregate over the rows that can matter (recent
    # ones, and a young account's published ones), not a query per rule: this runs
    # on every post.
    window = timedelta(seconds=settings.MODERATION_FLOOD_WINDOW_SECONDS)
    hold_first = settings.MODERATION_NEW_ACCOUNT_HOLD
    young = author.date_joined > now - timedelta(days=settings.MODERATION_NEW_ACCOUNT_DAYS)
    check_new_account = editing is None and bool(hold_first) and young
    dup_minutes = settings.MODERATION_DUPLICATE_WINDOW_MINUTES
    dup_since = now - timedelta(minutes=dup_minutes)
    flood_since = now - window
    relevant = Q(created_at__gt=flood_since)
    if dup_minutes:
        relevant |= Q(created_at__gte=dup_since)
    if check_new_account:
        relevant |= Q(status=CommentStatus.PUBLISHED)
    history = mine.filter(relevant).aggregate(
        recent=Count("id", filter=Q(created_at__gt=flood_since)),
        approved=Count("id", filter=Q(status=CommentStatus.PUBLISHED)),
        duplicates=Count(
            "id",
            filter=Q(created_at__gte=dup_since, body=body)
            & ~Q(status=CommentStatus.DELETED_BY_AUTHOR),
        ),
    )

    new_account = False
    if editing is None:
        if history["recent"] >= settings.MODERATION_FLOOD_LIMIT:
            minutes = max(1, settings.MODERATION_FLOOD_WINDOW_SECONDS // 60)
            raise AuthorRefused(
                ngettext(
                    "You are posting too fast: at most %(limit)s comments in %(minutes)s "
                    "minute. Please wait a little.",
                    "You are posting too fast: at most %(limit)s comments in %(minutes)s "
                    "minutes. Please wait a little.",
                    minutes,
                )
                % {"limit": settings.MODERATION_FLOOD_LIMIT, "minutes": minutes}
            )
        if check_new_account:
            new_account = history["approved"] < hold_first

    block, hold = word_lists()
    return rules.screen(
        rules.Submission(
            body=body,
            article_premoderated=article.comments_mode == CommentsMode.PREMODERATED,
            author_premoderated=premoderated,
            new_account=new_account,
            duplicate=bool(dup_minutes) and history["duplicates"] > 0,
            block_terms=block,
            hold_terms=hold,
            link_limit=settings.MODERATION_LINK_LIMIT,
            people=people_check(
                matcher=people_matcher(article=article, version=people_version),
                author_name=author.display_name,
            ),
            people_reject=people_reject(),
            model=scoring.model_fact(body),
        )
    )


def screen_sample(*, body: str) -> rules.Verdict:
    """The "try a text" box: the text-only rules with the current word lists."""
    block, hold = word_lists()
    return rules.screen(
        rules.Submission(
            body=body,
            article_premoderated=False,
            block_terms=block,
            hold_terms=hold,
            link_limit=settings.MODERATION_LINK_LIMIT,
            people=people_check(matcher=people_matcher_now(article_id=None)),
            people_reject=people_reject(),
            model=scoring.model_fact(body),
        )
    )
