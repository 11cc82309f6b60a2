"""Bench set-up that needs Django: run by bench/run.py against the bench database
only (DATABASE_URL points at it), never against a real one.

    python bench/setup_django.py people OUT_DIR READERS
        a moderator and READERS verified readers, each with a session, a CSRF
        token and a comment-form stamp (OUT_DIR/sessions.txt, OUT_DIR/moderator.txt),
        a fresh comment-form stamp for every post (OUT_DIR/stamps.txt), and an open article
        to post to (its slug in OUT_DIR/post_slug.txt)
    python bench/setup_django.py pending SLUG
        turn every comment of SLUG into a pending one, as if the article had been
        premoderated while its comments arrived (the moderation queue workload)
    python bench/setup_django.py count SLUG IDS_FILE...
        after the posting run: how many comments SLUG has, how many distinct
        bodies, and how many of the ids wrk saw accepted are stored
    python bench/setup_django.py live SLUG...
        keep the comments of these (imported, long closed) articles open, as the
        desk does for a story still running: their pages carry the comment form
        and reply links, as a live article's do
    python bench/setup_django.py stamps FILE COUNT
        COUNT fresh comment-form stamps in FILE (each is good for one comment)
    python bench/setup_django.py post SLUG TEXT
        a reader of long standing posts TEXT on SLUG (published at once); prints
        the moment it was committed
    python bench/setup_django.py approve SLUG
        a moderator approves one top-level comment of SLUG awaiting moderation;
        prints the moment it was committed
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metoo_site.settings")

import django

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import MODERATORS  # noqa: E402
from articles import services as article_services  # noqa: E402
from articles.models import Article, Section  # noqa: E402
from comments import services as comment_services  # noqa: E402
from comments.forms import form_stamp  # noqa: E402
from comments.models import Comment, CommentStatus  # noqa: E402
from moderation import services as moderation  # noqa: E402

POST_SLUG = "bench-posting"
# More than the posting run can use (30 s at several hundred comments a second).
BENCH_STAMPS = 60_000


def _session_cookie(user: User) -> str:
    # force_login builds the same session a password login would, without the
    # deliberately slow password hash (hundreds of readers).
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def people(out_dir: Path, readers: int) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    editor = User.objects.filter(email="bench-editor@bench.invalid").first()
    if editor is None:
        editor = User.objects.create_user(
            email="bench-editor@bench.invalid", display_name="Bench Editor", is_staff=True
        )
        editor.groups.add(Group.objects.get(name="Editors"))
    moderator = User.objects.filter(email="bench-moderator@bench.invalid").first()
    if moderator is None:
        moderator = User.objects.create_user(
            email="bench-moderator@bench.invalid", display_name="Bench Moderator"
        )
        moderator.groups.add(Group.objects.get(name=MODERATORS))
    (out_dir / "moderator.txt").write_text(_session_cookie(moderator) + "\n")

    section = Section.objects.order_by("id").first()
    if not Article.objects.filter(slug=POST_SLUG).exists():
        article = article_services.article_create(
            by=editor,
            title="Bench: posting comments",
            section=section,
            body="Where the bench posts its comments.",
            slug=POST_SLUG,
        )
        article_services.article_publish(article=article, by=editor)

    have = set(
        User.objects.filter(email__startswith="bench-reader-").values_list("email", flat=True)
    )
    new = [
        User(
            email=f"bench-reader-{i:04d}@bench.invalid",
            display_name=f"Bench Reader {i:04d}",
            password=UNUSABLE_PASSWORD_PREFIX + "bench",  # sessions are made directly
        )
        for i in range(readers)
        if f"bench-reader-{i:04d}@bench.invalid" not in have
    ]
    User.objects.bulk_create(new)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in new]
    )
    lines = []
    for user in User.objects.filter(email__startswith="bench-reader-").order_by("id")[:readers]:
        secret = _get_new_csrf_string()
        # The form's signed "shown at" stamp, made now: by the time wrk posts it is
        # older than COMMENT_FORM_MIN_SECONDS, as a person's would be.
        stamp = quote(form_stamp(), safe="")
        lines.append(f"{_session_cookie(user)} {secret} {_mask_cipher_secret(secret)} {stamp}")
    (out_dir / "sessions.txt").write_text("\n".join(lines) + "\n")
    # A stamp is good for one comment (comments.forms.stamp_spend), so wrk takes a
    # fresh one for every post, as a reader's browser gets one with every page.
    stamps = (quote(form_stamp(), safe="") for _ in range(BENCH_STAMPS))
    (out_dir / "stamps.txt").write_text("\n".join(stamps) + "\n")
    (out_dir / "post_slug.txt").write_text(POST_SLUG + "\n")
    print(f"{len(lines)} reader sessions, moderator session, article {POST_SLUG}")


def live(slugs: list[str]) -> None:
    editor = User.objects.get(email="bench-editor@bench.invalid")
    for slug in slugs:
        article = Article.objects.get(slug=slug)
        article_services.article_update(
            article=article, by=editor, changes={"comments_close_after_days": 0}
        )
        article.refresh_from_db()
        assert article.comments_open(), slug
    print(f"comments kept open on {len(slugs)} articles")


def stamps(path: Path, count: int) -> None:
    path.write_text("\n".join(quote(form_stamp(), safe="") for _ in range(count)) + "\n")


REGULAR = "bench-regular@bench.invalid"


def _regular() -> User:
    """A reader of two months' standing, confirmed: screening publishes their
    comments at once (no new-account hold)."""
    user = User.objects.filter(email=REGULAR).first()
    if user is None:
        user = User.objects.create_user(email=REGULAR, display_name="Bench Regular")
        User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=60))
        EmailAddress.objects.create(user=user, email=REGULAR, verified=True, primary=True)
        user.refresh_from_db()
    return user


def post(slug: str, text: str) -> None:
    comment = comment_services.comment_post(
        author=_regular(), article=Article.objects.get(slug=slug), body=text
    )
    # comment_post commits, and its after-commit work (the new thread version) is done.
    print(f"{time.time():.3f} {comment.pk} {comment.status}")


def approve(slug: str) -> None:
    moderator = User.objects.get(email="bench-moderator@bench.invalid")
    held = (
        Comment.objects.filter(article__slug=slug, parent=None, status=CommentStatus.PENDING)
        .order_by("created_at", "id")
        .first()
    )
    assert held is not None, f"nothing awaits moderation on {slug}"
    moderation.comment_approve(comment=held, by=moderator, expected_version=held.version)
    print(f"{time.time():.3f} {held.pk} approved")


def pending(slug: str) -> None:
    article = Article.objects.get(slug=slug)
    hold = '[{"code": "article.premoderated", "match": "", "action": "hold"}]'
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE comments_comment SET status = %s, hold_reasons = %s::jsonb, reply_count = 0 "
            "WHERE article_id = %s",
            [CommentStatus.PENDING, hold, article.pk],
        )
        cursor.execute(
            "UPDATE articles_article SET comment_count = 0, comments_mode = 'premoderated' "
            "WHERE id = %s",
            [article.pk],
        )
    print(Comment.objects.filter(status=CommentStatus.PENDING).count(), "pending")


def count(slug: str, id_files: list[str]) -> None:
    rows = Comment.objects.filter(article__slug=slug)
    ids = [int(x) for f in id_files for x in Path(f).read_text().split()]
    found = rows.filter(pk__in=ids).count()
    print(rows.count(), rows.values("body").distinct().count(), len(ids), len(set(ids)), found)


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["people", out_dir, readers]:
            people(Path(out_dir), int(readers))
        case ["pending", slug]:
            pending(slug)
        case ["count", slug, *id_files]:
            count(slug, id_files)
        case ["live", *slugs]:
            live(slugs)
        case ["stamps", path, number]:
            stamps(Path(path), int(number))
        case ["post", slug, text]:
            post(slug, text)
        case ["approve", slug]:
            approve(slug)
        case _:
            sys.exit(__doc__)
