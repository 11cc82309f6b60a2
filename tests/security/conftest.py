"""A small site with one of everything an attacker might want to see or change:
a draft, a comment in each status, a sanction, a word list entry, a moderator's
note, and the six personas of the authorisation matrix."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import EDITORS, MODERATORS
from accounts.unsubscribe import unsubscribe_token
from articles import people
from articles.models import ArticleStatus
from comments import services as comment_services
from comments.models import Comment
from comments.services import comment_post
from moderation import services as moderation
from moderation.models import ModelVersion
from moderation.services import appeals, holds
from tests.factories import ArticleFactory, SectionFactory, UserFactory

PERSONAS = ("anonymous", "reader", "sanctioned", "editor", "moderator", "admin")


@dataclass
class World:
    users: dict
    section: object
    article: object
    draft: object
    published: Comment
    pending: Comment
    rejected: Comment
    removed: Comment
    author: object
    sanction: object
    word: object
    note: object
    # A person listed for the article, with one other spelling (articles.people).
    person: object = None
    variant: object = None
    # A moderation model version, stored and inactive (moderation.models.ModelVersion).
    model_version: object = None
    # The author's appeal of the removal (moderation.services.appeals), open.
    appeal: object = None
    # A legal hold on the author's writing (moderation.services.holds), in force.
    hold: object = None


@pytest.fixture
def world(db) -> World:
    now = timezone.now()
    moderator_user = UserFactory(email="mod@example.com", display_name="Imran Moderator")
    moderator_user.groups.add(Group.objects.get(name=MODERATORS))
    editor_user = UserFactory(email="ed@example.com", display_name="Nadia Editor")
    editor_user.groups.add(Group.objects.get(name=EDITORS))
    admin_user = UserFactory(
        email="root@example.com", display_name="Site Admin", is_staff=True, is_superuser=True
    )
    reader = UserFactory(email="sana@example.com", display_name="Sana Reader")
    sanctioned = UserFactory(email="troll@example.com", display_name="Banned Person")
    author = UserFactory(email="author@example.com", display_name="Comment Author")
    sanction = moderation.sanction_apply(
        user=sanctioned, by=moderator_user, kind="ban", reason="Repeated abuse"
    )
    section = SectionFactory(name="Lifestyle", slug="lifestyle")
    article = ArticleFactory(title="Open article", slug="open-article", section=section)
    draft = ArticleFactory(
        title="Secret draft headline",
        slug="secret-draft",
        section=section,
        author=editor_user,
        status=ArticleStatus.DRAFT,
        published_at=None,
        body="Unpublished draft body",
    )
    word = moderation.wordlist_add(term="secretslur", kind="block", by=moderator_user)
    published = comment_post(author=author, article=article, body="Published words")
    pending_c = comment_post(author=author, article=article, body="Pending words")
    # Screening rejects a blocked word outright.
    rejected_c = comment_post(author=author, article=article, body="Rejected words secretslur")
    removed_c = comment_post(author=author, article=article, body="Removed words")
    removed_c = moderation.comment_remove(
        comment=removed_c,
        by=moderator_user,
        reason="defamation",
        expected_version=removed_c.version,
        note="Moderator-only removal note",
        now=now,
    )
    # A published comment back to pending: reported into hiding.
    for i in range(3):
        comment_services.report_file(
            comment=pending_c,
            by=UserFactory(email=f"reporter{i}@example.com", display_name=f"Reporter {i}"),
            reason="spam",
            note="Reporter's private note",
        )
    pending_c.refresh_from_db()
    assert [c.status for c in (published, pending_c, rejected_c, removed_c)] == [
        "published",
        "pending",
        "rejected",
        "removed",
    ]
    note = moderation.user_note_add(
        user=author, by=moderator_user, note="Private moderator note about this author"
    )
    person = people.person_list(
        article=article,
        by=editor_user,
        name="Listed Survivor",
        role="protected",
        variants=["Listed Spelling"],
        note="Newsroom-only note about the listed person",
    ).person
    return World(
        users={
            "anonymous": None,
            "reader": reader,
            "sanctioned": sanctioned,
            "editor": editor_user,
            "moderator": moderator_user,
            "admin": admin_user,
        },
        section=section,
        article=article,
        draft=draft,
        published=published,
        pending=pending_c,
        rejected=rejected_c,
        removed=removed_c,
        author=author,
        sanction=sanction,
        word=word,
        note=note,
        person=person,
        variant=person.variants.get(),
        model_version=ModelVersion.objects.create(
            source="corpus", artifact=b"", artifact_sha256="0" * 64
        ),
        appeal=appeals.appeal_file(
            comment=removed_c, by=author, note="Author's private appeal note", now=now
        ),
        hold=holds.hold_place(
            by=admin_user,
            kind="court_order",
            reference="Private court reference",
            received_on=now.date(),
            requester="Private requester",
            scope="user",
            user=author,
            now=now,
        ),
    )


def unsubscribe_for(user) -> str:
    return unsubscribe_token(user_id=user.pk, kind="replies")
