"""The pages an HTML audit looks at, each as the persona who sees it, over demo content.

`make check-html` (scripts/check_html.py) renders them into files for the Nu Html
Checker; tests/html/test_headings.py renders the same list and checks the headings.
Both build the site with `build_site()`: the demo content (`load_demo`) plus a reply
chain deeper than the thread's display depth, so the "in reply to" markup is there too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.management import call_command
from django.db.models import Count, Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from articles.models import Article, ArticleStatus, Section
from comments import services as comment_services
from comments.models import Comment, CommentStatus
from moderation import services as moderation
from moderation.selectors import TABS

ANONYMOUS = ""
READER = "reader@metoo.test"
EDITOR = "editor@metoo.test"
MODERATOR = "moderator@metoo.test"

# Replies below the deepest demo comment: the thread shows about five levels, and the
# ones past it must still say whom they answer.
EXTRA_DEPTH = 4
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # an email of the demo, or ANONYMOUS
    url: str
    language: str = "en"  # the interface language the browser asks for


# The pages checked again in the Urdu interface (right to left, other words, other
# lengths): the reader's, the account's, the desk's and the moderators' main ones.
URDU_AGAIN = (
    "home",
    "article-deep-thread-as-reader",
    "article-urdu",
    "reply-form",
    "search",
    "sign-in",
    "profile",
    "my-comments",
    "guidelines",
    "desk-list",
    "desk-editor",
    "desk-people",
    "moderation-queue-pending",
    "moderation-user",
    "moderation-audit",
    "moderation-words",
    "moderation-model",
)


def build_site() -> None:
    """Demo content, plus a reply chain that runs past the display depth."""
    call_command("load_demo", quiet_logins=True)
    deepest = Comment.objects.filter(status=CommentStatus.PUBLISHED).order_by("-depth", "id")[0]
    moderator = User.objects.get(email=MODERATOR)
    voices = list(
        User.objects.filter(email__in=["emad@metoo.test", "hina@metoo.test"]).order_by("id")
    )
    parent, when = deepest, timezone.now() - timedelta(hours=EXTRA_DEPTH + 1)
    for n in range(EXTRA_DEPTH):
        when += timedelta(minutes=61)  # past the flood window each time
        reply = comment_services.comment_post(
            author=voices[n % 2],
            article=deepest.article,
            body=f"Reply {n + 1} in a long chain: @{parent.author.display_name} I see it "
            "differently, and here is why.",
            parent=parent,
            now=when,
        )
        if reply.status == CommentStatus.PENDING:
            reply = moderation.comment_approve(
                comment=reply, by=moderator, expected_version=reply.version, now=when
            )
        parent = reply


def pages() -> list[Page]:
    """Every page the audit covers, after `build_site()`."""
    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    deep = published.annotate(depth=Max("comments__depth")).order_by("-depth", "id")[0]
    biggest = published.annotate(n=Count("comments")).order_by("-n", "id")[0]
    urdu = next(a for a in published.order_by("id") if _ARABIC_SCRIPT.search(a.title))
    section = Section.objects.order_by("position", "id")[0]
    reader = User.objects.get(email=READER)
    # A published comment by someone else, for the forms a reader opens on it.
    other = (
        Comment.objects.filter(article=deep, status=CommentStatus.PUBLISHED)
        .exclude(author=reader)
        .order_by("id")[0]
    )
    found = [
        Page("home", ANONYMOUS, reverse("articles:home")),
        Page("section", ANONYMOUS, reverse("articles:section", args=[section.slug])),
        Page("article-deep-thread", ANONYMOUS, deep.get_absolute_url()),
        Page("article-deep-thread-as-reader", READER, deep.get_absolute_url()),
        *(
            [Page("article-most-comments", ANONYMOUS, biggest.get_absolute_url())]
            if biggest.pk != deep.pk
            else []
        ),
        Page("article-urdu", ANONYMOUS, urdu.get_absolute_url()),
        Page("whole-thread", ANONYMOUS, reverse("article_all", args=[deep.slug])),
        Page("reply-form", READER, reverse("comments:permalink", args=[other.pk]) + "?open=reply"),
        Page(
            "report-form", READER, reverse("comments:permalink", args=[other.pk]) + "?open=report"
        ),
        Page("reader-page", ANONYMOUS, reverse("accounts:reader", args=[other.author_id])),
        Page("search", ANONYMOUS, reverse("articles:search") + "?q=harassment"),
        Page("sign-up", ANONYMOUS, reverse("account_signup")),
        Page("sign-in", ANONYMOUS, reverse("account_login")),
        Page("my-comments", READER, reverse("accounts:my_comments")),
        Page("profile", READER, reverse("accounts:profile")),
        Page("notifications", READER, reverse("accounts:notifications")),
        Page("guidelines", ANONYMOUS, reverse("guidelines")),
        Page("desk-list", EDITOR, reverse("desk:list")),
        Page("desk-new", EDITOR, reverse("desk:new")),
        Page("desk-editor", EDITOR, reverse("desk:edit", args=[deep.pk])),
        Page("desk-people", EDITOR, reverse("desk:people", args=[deep.pk])),
        Page("desk-protected", EDITOR, reverse("desk:protected")),
        Page("desk-comments", EDITOR, reverse("comments:desk_comments", args=[deep.pk])),
        *(
            Page(f"moderation-queue-{tab}", MODERATOR, reverse("moderation:queue") + f"?tab={tab}")
            for tab in TABS
        ),
        Page("moderation-user", MODERATOR, reverse("moderation:user", args=[reader.pk])),
        Page("moderation-audit", MODERATOR, reverse("moderation:audit")),
        Page("moderation-dashboard", MODERATOR, reverse("moderation:dashboard")),
        Page("moderation-words", MODERATOR, reverse("moderation:words")),
        Page("moderation-appeals", MODERATOR, reverse("moderation:appeals")),
        Page("legal-holds", EDITOR, reverse("moderation:holds")),
        Page(
            "moderation-comment-history",
            MODERATOR,
            reverse("moderation:comment_history", args=[other.pk]),
        ),
        Page("moderation-model", MODERATOR, reverse("moderation:model")),
    ]
    by_name = {page.name: page for page in found}
    found += [
        Page(f"{name}-ur", by_name[name].persona, by_name[name].url, language="ur")
        for name in URDU_AGAIN
    ]
    return found


def render_pages(found: list[Page], *, client_for: Callable[[str], Client]) -> dict[str, str]:
    """Each page's HTML by name (after redirects: a permalink opens its article page);
    a page that does not answer 200 raises."""
    out: dict[str, str] = {}
    for page in found:
        response = client_for(page.persona).get(
            page.url, follow=True, HTTP_ACCEPT_LANGUAGE=page.language
        )
        if response.status_code != 200:
            raise AssertionError(f"{page.name}: {page.url} answered {response.status_code}")
        out[page.name] = response.content.decode()
    return out


def persona_clients() -> Callable[[str], Client]:
    """A signed-in client per persona, made once each."""
    clients: dict[str, Client] = {}

    def client_for(persona: str) -> Client:
        if persona not in clients:
            client = Client()
            if persona:
                client.force_login(User.objects.get(email=persona))
            clients[persona] = client
        return clients[persona]

    return client_for
