from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from articles.models import Article, ArticleStatus
from comments import selectors
from comments.importers.disqus import DisqusImportError, import_disqus, parse
from comments.importers.html_text import html_to_text
from comments.models import Comment, CommentStatus, ReasonCategory
from moderation.models import ModerationAction
from tests.comments.datasets import make_export
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "disqus_small.xml"


@pytest.fixture
def archive(db):
    return SectionFactory(slug="archive", name="Archive")


def by_ref(dsq_id: str) -> Comment:
    return Comment.objects.select_related("author").get(import_ref=f"disqus:{dsq_id}")


def write_export(tmp_path: Path, body: str) -> Path:
    """A small export: `body` holds <thread>/<post> elements. The header is
    three lines, so the body's first line is line 4 of the file."""
    text = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
        "  <!-- hand-written -->\n" + textwrap.dedent(body).strip("\n") + "\n</disqus>\n"
    )
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    return path


THREAD = """\
<thread dsq:id="9">
  <link>https://old.example/2018/11/open-article/</link>
  <title>Open article</title>
  <createdAt>2018-11-13T04:00:00Z</createdAt>
</thread>
"""


def post(
    dsq_id: str, *, parent: str = "", thread: str = "9", created: str = "2018-11-13T05:00:00Z"
):
    parent_el = f'\n  <parent dsq:id="{parent}"/>' if parent else ""
    return f"""\
<post dsq:id="{dsq_id}">
  <message><![CDATA[<p>Post {dsq_id}</p>]]></message>
  <createdAt>{created}</createdAt>
  <isDeleted>false</isDeleted>
  <isSpam>false</isSpam>
  <author><email>p{dsq_id}@example.com</email><name>Person {dsq_id}</name></author>
  <thread dsq:id="{thread}"/>{parent_el}
</post>
"""


def assert_nothing_stored(users_before: int) -> None:
    assert Comment.objects.count() == 0
    assert User.objects.count() == users_before
    assert not ModerationAction.objects.filter(action="import.disqus").exists()


# ---------------------------------------------------------------- generated exports


def generate(tmp_path: Path, *extra: str) -> Path:
    return make_export(
        tmp_path / "generated.xml",
        *("--threads", "2", "--posts-per-thread", "300"),
        *("--deleted-rate", "0.04", "--spam-rate", "0.03", *extra),
    )


def test_generated_export_keeps_every_post_with_its_parent_time_status_and_place(tmp_path, archive):
    export = generate(tmp_path)
    parsed = parse(export)
    assert parsed.problems == []

    result = import_disqus(source=export, section="archive")

    assert result.counts["posts_new"] == 600
    assert result.counts["articles_created"] == 2
    comments = {
        c.import_ref.removeprefix("disqus:"): c
        for c in Comment.objects.filter(import_ref__startswith="disqus:")
    }
    assert len(comments) == 600
    for p in parsed.posts:
        c = comments[p.dsq_id]
        assert c.created_at == p.created_at
        expected = (
            CommentStatus.REJECTED
            if p.is_spam
            else CommentStatus.DELETED_BY_AUTHOR
            if p.is_deleted
            else CommentStatus.PUBLISHED
        )
        assert c.status == expected
        if p.parent_id:
            parent = comments[p.parent_id]
            assert c.parent_id == parent.pk
            assert c.depth == parent.depth + 1
            assert c.path.startswith(parent.path + ".")
            assert c.root_id == parent.root_id
        else:
            assert c.parent_id is None and c.depth == 0 and c.root_id == c.pk
    # Ids (and so path order among siblings) follow posting time.
    in_time = sorted(comments.values(), key=lambda c: (c.created_at, c.pk))
    assert [c.pk for c in in_time] == sorted(c.pk for c in in_time)
    statuses = {c.status for c in comments.values()}
    assert CommentStatus.REJECTED in statuses and CommentStatus.DELETED_BY_AUTHOR in statuses


def test_generated_export_creates_published_articles_with_right_counts(tmp_path, archive):
    export = generate(tmp_path)
    parsed = parse(export)

    import_disqus(source=export, section="archive")

    for thread in parsed.threads.values():
        slug = thread.link.rstrip("/").rsplit("/", 1)[-1]
        article = Article.objects.get(slug=slug)
        assert article.status == ArticleStatus.PUBLISHED
        assert article.published_at == thread.created_at
        assert article.section == archive
        assert article.title == thread.title
        published = article.comments.filter(status=CommentStatus.PUBLISHED)
        assert article.comment_count == published.count()
    for c in Comment.objects.filter(reply_count__gt=0)[:50]:
        assert c.reply_count == c.replies.filter(status=CommentStatus.PUBLISHED).count()
    assert not Comment.objects.filter(
        status=CommentStatus.PUBLISHED, parent__isnull=False, parent__reply_count=0
    ).exists()


def test_running_the_same_import_twice_adds_nothing(tmp_path, archive):
    export = generate(tmp_path)
    import_disqus(source=export, section="archive")
    counts = (Comment.objects.count(), User.objects.count(), Article.objects.count())

    again = import_disqus(source=export, section="archive")

    assert again.counts["posts_new"] == 0
    assert again.counts["posts_already_imported"] == 600
    assert (Comment.objects.count(), User.objects.count(), Article.objects.count()) == counts
    assert ModerationAction.objects.filter(action="import.disqus").count() == 1


def test_dry_run_reports_what_it_would_do_and_changes_nothing(tmp_path, archive, capsys):
    export = generate(tmp_path)
    users_before = User.objects.count()

    call_command("import_disqus", str(export), "--create-articles", "archive", "--dry-run")

    out = capsys.readouterr().out
    assert "Would import" in out
    assert "2 new articles" in out
    assert "600 new" in out
    assert "Dry run: nothing was changed" in out
    assert_nothing_stored(users_before)
    assert Article.objects.count() == 0


def test_import_writes_one_audit_row_with_its_counts(tmp_path, archive):
    export = generate(tmp_path)

    result = import_disqus(source=export, section="archive")

    action = ModerationAction.objects.get(action="import.disqus")
    assert action.actor is None
    assert action.data["posts_new"] == 600
    assert action.data["published"] == result.counts["published"]
    assert action.data["file"] == "generated.xml"
    # Besides it, only the archive account's editor role, granted by the system.
    others = ModerationAction.objects.exclude(action="import.disqus")
    assert list(others.values_list("action", "reason", "actor")) == [
        ("account.role.granted", "editor", None)
    ]
    archive_editor = User.objects.get(email="newsroom-archive@imported.invalid")
    assert others.get().target_user_id == archive_editor.pk


def test_a_second_import_does_not_grant_the_archive_role_again(tmp_path, archive):
    import_disqus(source=generate(tmp_path), section="archive")
    import_disqus(source=write_export(tmp_path, THREAD + post("9")), section="archive")

    assert ModerationAction.objects.filter(action="account.role.granted").count() == 1


# ---------------------------------------------------------------- the small hand-written export


def test_small_export_matches_threads_and_authors_and_keeps_the_tree(reader, article, archive):
    result = import_disqus(source=SMALL, section="archive")

    assert result.counts["threads_matched"] == 1
    assert result.counts["articles_created"] == 1
    assert result.counts["users_matched"] == 1
    assert result.counts["users_created"] == 4
    first, deleted, guest_reply, urdu, spam = (
        by_ref(i) for i in ["1001", "1002", "1003", "1004", "1005"]
    )
    assert first.article == article and first.author == reader
    assert first.created_at == datetime(2018, 11, 13, 4, 47, tzinfo=UTC)
    assert first.body == "This is brave reporting.\n\nThank you & keep going."
    assert deleted.status == CommentStatus.DELETED_BY_AUTHOR
    # Its author deleted it: the placeholder stays, the text is not kept.
    assert (deleted.body, deleted.body_html) == ("", "")
    assert (guest_reply.parent, guest_reply.depth) == (deleted, 1)
    assert (urdu.parent, urdu.depth, urdu.root) == (guest_reply, 2, deleted)
    assert urdu.author == reader
    assert urdu.body == "یہ بہت اہم ہے۔ Thank you."
    assert spam.status == CommentStatus.REJECTED
    assert spam.reason_category == ReasonCategory.SPAM
    article.refresh_from_db()
    assert article.comment_count == 3
    deleted.refresh_from_db()
    assert deleted.reply_count == 1


def test_links_and_line_breaks_in_a_message_survive_as_plain_text(reader, article, archive):
    import_disqus(source=SMALL, section="archive")

    reply = by_ref("1003")
    assert reply.body == (
        "@Sana Reader you did, but see https://www.example.org/reports/2018/harassment-survey\n"
        "and the law (https://example.com/law)."
    )
    assert '<a href="https://example.com/law"' in reply.body_html
    assert "<br>" in reply.body_html


def test_unmatched_thread_becomes_an_article_by_the_newsroom_archive(reader, article, archive):
    import_disqus(source=SMALL, section="Archive")

    created = Article.objects.get(slug="the-letters-nobody-answered")
    assert created.title == "The letters nobody answered"
    assert created.status == ArticleStatus.PUBLISHED
    assert created.published_at == datetime(2018, 11, 13, 3, 30, tzinfo=UTC)
    assert created.body == "Our series on harassment at work."
    assert created.author.display_name == "Newsroom archive"
    assert not created.author.has_usable_password()
    assert by_ref("2001").article == created


def test_new_authors_are_readers_who_must_reset_a_password(reader, article, archive):
    import_disqus(source=SMALL, section="archive")

    author = by_ref("1002").author
    assert author.email == "ali@example.net"
    assert not author.has_usable_password()
    assert not author.is_staff
    address = EmailAddress.objects.get(user=author)
    assert (address.email, address.verified, address.primary) == ("ali@example.net", False, True)

    Client().post(reverse("account_reset_password"), {"email": "ali@example.net"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ali@example.net"]


def test_display_names_stay_unique_ignoring_case(reader, article, archive):
    import_disqus(source=SMALL, section="archive")

    # "Sana Reader" is taken by the existing reader; two Disqus people are "Guest
    # Reader", one of them a guest without an address (shown as imported).
    assert by_ref("1002").author.display_name == "Sana Reader 2"
    assert by_ref("2001").author.display_name == "Guest Reader"
    assert by_ref("1003").author.display_name == "Guest Reader (Disqus)"


def test_a_guest_without_email_gets_a_stable_made_up_address(reader, article, archive, tmp_path):
    import_disqus(source=SMALL, section="archive")
    guest = by_ref("1003").author
    assert guest.email.endswith("@imported.invalid")

    later = write_export(
        tmp_path,
        """
        <thread dsq:id="100"><link>https://old.metoo.example/2018/11/open-article/</link>
          <createdAt>2018-11-13T04:00:00Z</createdAt></thread>
        <post dsq:id="1006">
          <message>Me again</message><createdAt>2018-11-14T04:00:00Z</createdAt>
          <author><email></email><name>Guest Reader</name><isAnonymous>true</isAnonymous></author>
          <thread dsq:id="100"/>
        </post>
        """,
    )
    import_disqus(source=later, section="archive")

    assert by_ref("1006").author == guest


def test_a_deleted_post_shows_as_a_placeholder_where_it_has_replies(reader, article, archive):
    import_disqus(source=SMALL, section="archive")

    page = selectors.thread_page(article_id=article.pk, user=None)

    deleted = by_ref("1002")
    item = next(i for i in page.items if i.comment.pk == deleted.pk)
    assert item.placeholder
    assert by_ref("1003").pk in [i.comment.pk for i in page.items]
    assert by_ref("1005").pk not in [i.comment.pk for i in page.items]


def test_thread_matches_an_article_by_our_own_url(tmp_path):
    target = ArticleFactory(slug="letters")
    export = write_export(
        tmp_path,
        """
        <thread dsq:id="1"><link>https://metoo.example/articles/letters/</link>
          <createdAt>2018-11-13T04:00:00Z</createdAt></thread>
        """
        + post("5", thread="1"),
    )

    import_disqus(source=export)

    assert by_ref("5").article == target


def test_a_later_export_can_reply_to_posts_imported_before(tmp_path, article):
    import_disqus(source=write_export(tmp_path, THREAD + post("1")))

    import_disqus(
        source=write_export(
            tmp_path, THREAD + post("2", parent="1", created="2018-11-14T00:00:00Z")
        )
    )

    first, reply = by_ref("1"), by_ref("2")
    assert (reply.parent, reply.root, reply.depth) == (first, first, 1)
    assert reply.path == f"{first.path}.{reply.pk:012d}"
    first.refresh_from_db()
    assert first.reply_count == 1


# ---------------------------------------------------------------- bad exports


def test_malformed_xml_is_reported_with_its_line_and_nothing_is_stored(tmp_path, article):
    users_before = User.objects.count()
    export = write_export(tmp_path, THREAD + "<post dsq:id='1'>\n  <message>oops</mesage>\n</post>")

    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)

    assert [p.line for p in exc.value.problems] == [10]
    assert "malformed" in str(exc.value)
    assert_nothing_stored(users_before)


def test_a_post_whose_parent_is_missing_is_reported_with_its_line(tmp_path, article):
    users_before = User.objects.count()
    export = write_export(tmp_path, THREAD + post("1") + post("2", parent="77"))

    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)

    (problem,) = exc.value.problems
    assert problem.line == 24  # the <parent dsq:id="77"/> of post 2
    assert "replies to post 77, which is not in the export" in problem.message
    assert_nothing_stored(users_before)


def test_a_post_whose_thread_is_missing_is_reported_with_its_line(tmp_path, article):
    users_before = User.objects.count()
    export = write_export(tmp_path, THREAD + post("1") + post("2", thread="404"))

    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)

    (problem,) = exc.value.problems
    assert problem.line == 23
    assert "thread 404, which is not in the export" in problem.message
    assert_nothing_stored(users_before)


def test_a_bad_date_is_reported_with_its_line(tmp_path, article):
    users_before = User.objects.count()
    export = write_export(tmp_path, THREAD + post("1") + post("2", created="13/11/2018 9:47am"))

    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)

    (problem,) = exc.value.problems
    assert problem.line == 19
    assert "“13/11/2018 9:47am” is not a date" in problem.message
    assert_nothing_stored(users_before)


def test_every_problem_is_listed_at_once_and_replies_in_a_loop_are_refused(tmp_path, article):
    users_before = User.objects.count()
    export = write_export(
        tmp_path,
        THREAD
        + post("1", parent="2")
        + post("2", parent="1")
        + post("3", created="yesterday")
        + post("4", thread="8"),
    )

    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)

    messages = [str(p) for p in exc.value.problems]
    assert any("replies form a loop" in m for m in messages)
    assert any("“yesterday” is not a date" in m for m in messages)
    assert any("thread 8, which is not in the export" in m for m in messages)
    assert all(m.startswith("line ") for m in messages)
    assert_nothing_stored(users_before)


def test_a_thread_matching_no_article_stops_the_import_unless_asked(tmp_path, archive):
    users_before = User.objects.count()
    export = write_export(tmp_path, THREAD + post("1"))

    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)

    assert "line 4: thread 9 (https://old.example/2018/11/open-article/) matches no article" in (
        str(exc.value)
    )
    assert_nothing_stored(users_before)
    assert Article.objects.count() == 0


def test_skip_unmatched_leaves_out_threads_that_match_nothing(tmp_path, article):
    export = write_export(
        tmp_path,
        THREAD
        + '<thread dsq:id="3"><link>https://old.example/elsewhere/</link>'
        + "<createdAt>2018-11-13T04:00:00Z</createdAt></thread>\n"
        + post("1")
        + post("2", thread="3"),
    )

    result = import_disqus(source=export, skip_unmatched=True)

    assert result.counts["threads_skipped"] == 1
    assert list(Comment.objects.values_list("import_ref", flat=True)) == ["disqus:1"]


def test_an_unknown_section_is_a_clear_error(tmp_path):
    export = write_export(tmp_path, THREAD + post("1"))

    with pytest.raises(CommandError, match="there is no section “Nowhere”"):
        call_command("import_disqus", str(export), "--create-articles", "Nowhere")

    assert Comment.objects.count() == 0


def test_the_command_reports_problems_with_line_numbers(tmp_path, article):
    export = write_export(tmp_path, THREAD + post("2", parent="77"))

    with pytest.raises(CommandError) as exc:
        call_command("import_disqus", str(export))

    assert "Nothing was imported (1 problem(s)):" in str(exc.value)
    assert "line 16: post 2 replies to post 77" in str(exc.value)


def test_a_file_that_is_not_a_disqus_export_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<rss><channel/></rss>\n")

    with pytest.raises(DisqusImportError, match="not a Disqus export"):
        import_disqus(source=path)


def test_an_existing_author_with_another_email_case_is_matched(tmp_path, article):
    person = UserFactory(email="p1@example.com", display_name="Already Here")
    export = write_export(tmp_path, THREAD + post("1").replace("p1@example.com", "P1@Example.COM"))

    result = import_disqus(source=export)

    assert by_ref("1").author == person
    assert result.counts["users_created"] == 0


# ---------------------------------------------------------------- HTML to text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<p>Line one<br>line two</p>", "Line one\nline two"),
        ("Fish &amp; chips &lt;3 &#8217;", "Fish & chips <3 \u2019"),
        ('<a href="https://a.example/x">https://a.example/x</a>', "https://a.example/x"),
        ('<a href="https://a.example/long/path/here">https://a.example/lo...</a>',
         "https://a.example/long/path/here"),
        ('<a href="https://a.example/x">a.example/x</a>', "https://a.example/x"),
        ('<a href="https://a.example/x">the report</a>', "the report (https://a.example/x)"),
        ('<a href="javascript:alert(1)">click</a>', "click"),
        ("<p>Some <b>bold</b> and <i>italic</i>\n   words</p>", "Some bold and italic words"),
        ("<p>Hi</p><script>alert(1)</script><p>there</p>", "Hi\n\nthere"),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<blockquote>quoted</blockquote>reply", "quoted\n\nreply"),
        ("plain text only", "plain text only"),
    ],
)  # fmt: skip
def test_disqus_html_becomes_our_plain_text(html, text):
    assert html_to_text(html) == text


# ---------------------------------------------------------------- fidelity (issue 16)


def guest_post(dsq_id: str, name: str, *, email: str = "") -> str:
    return f"""\
<post dsq:id="{dsq_id}">
  <message><![CDATA[<p>Post {dsq_id}</p>]]></message>
  <createdAt>2018-11-13T05:00:00Z</createdAt>
  <author><email>{email}</email><name>{name}</name><isAnonymous>true</isAnonymous></author>
  <thread dsq:id="9"/>
</post>
"""


def test_a_guest_without_a_claimable_email_does_not_reserve_a_display_name(tmp_path, article):
    from accounts.names import display_name_problem

    import_disqus(source=write_export(tmp_path, THREAD + guest_post("1", "anas")))
    assert by_ref("1").author.display_name == "anas (Disqus)"
    # A real reader can still be "anas".
    assert display_name_problem("anas") is None


def test_a_guest_with_an_address_keeps_their_name(tmp_path, article):
    export = write_export(tmp_path, THREAD + guest_post("1", "anas", email="anas@example.com"))
    import_disqus(source=export)
    assert by_ref("1").author.display_name == "anas"


def test_an_orphan_stops_the_import_and_says_how_to_skip_it(tmp_path, article):
    export = write_export(tmp_path, THREAD + post("1") + post("2", thread="404"))
    with pytest.raises(DisqusImportError) as exc:
        import_disqus(source=export)
    assert "--skip-orphans" in exc.value.describe()


def test_skip_orphans_leaves_out_posts_without_thread_or_parent_and_imports_the_rest(
    tmp_path, article
):
    export = write_export(
        tmp_path,
        THREAD
        + post("1")
        + post("2", thread="404")
        + post("3", parent="77")
        + post("4", parent="3")
        + post("5", parent="1"),
    )
    result = import_disqus(source=export, skip_orphans=True)

    assert set(Comment.objects.values_list("import_ref", flat=True)) == {"disqus:1", "disqus:5"}
    assert result.counts["posts_left_out"] == 3
    reasons = [p.message for p in result.left_out]
    assert any("thread 404, which is not in the export" in r for r in reasons)
    assert any("replies to post 77" in r for r in reasons)
    assert any("post 4 replies to a post left out" in r for r in reasons)
    assert all(p.line for p in result.left_out)


def test_the_command_reports_what_it_left_out_and_empty_threads(tmp_path, article, capsys):
    export = write_export(
        tmp_path, THREAD + '<thread dsq:id="10"/>\n' + post("1") + post("2", thread="404")
    )
    call_command("import_disqus", str(export), "--skip-orphans")
    out = capsys.readouterr().out
    assert "1 left out" in out
    assert "left out: line" in out and "thread 404" in out
    assert "note: line 9: thread 10 is empty" in out


def test_a_message_that_is_nothing_but_markup_shows_the_markup_as_text(tmp_path, article):
    only_markup = post("1").replace("<![CDATA[<p>Post 1</p>]]>", "<![CDATA[<b></b><br/>]]>")
    import_disqus(source=write_export(tmp_path, THREAD + only_markup))
    comment = by_ref("1")
    assert comment.body == "<b></b><br/>"
    assert "&lt;b&gt;&lt;/b&gt;&lt;br/&gt;" in comment.body_html


def test_a_second_run_counts_the_matched_articles(tmp_path, article):
    export = write_export(tmp_path, THREAD + post("1"))
    first = import_disqus(source=export)
    again = import_disqus(source=export)
    assert first.counts["threads_matched"] == 1
    assert again.counts["threads_matched"] == 1
    assert again.counts["posts_new"] == 0
