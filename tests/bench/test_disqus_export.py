"""bench/disqus_export.py: the Disqus exports the import tests, the scale tests and
`make bench` are made from. Checked through the importer's own parser."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from bench import disqus_export
from comments.importers.disqus import ParsedExport, PostRecord, parse
from comments.importers.html_text import html_to_text

SCRIPT = Path(disqus_export.__file__)
URDU_LETTER = re.compile(r"[\u0600-\u06ff]")
ACCENTED_LATIN = re.compile(r"[À-ÖØ-öø-ž]")  # Latin-1 Supplement and Extended-A letters


def generate(path: Path, **options) -> ParsedExport:
    disqus_export.write_export(path, **options)
    return parse(path)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> tuple[Path, ParsedExport]:
    """Two threads of 1,500 posts, with more deleted posts and spam than usual."""
    path = tmp_path_factory.mktemp("export") / "export.xml"
    parsed = generate(
        path,
        threads=2,
        posts_per_thread=1500,
        seed=7,
        deleted_rate=0.04,
        spam_rate=0.03,
    )
    return path, parsed


def depths(posts: list[PostRecord]) -> dict[str, int]:
    by_id = {p.dsq_id: p for p in posts}
    depth: dict[str, int] = {}
    for p in posts:  # parents come first in the file
        depth[p.dsq_id] = depth[by_id[p.parent_id].dsq_id] + 1 if p.parent_id else 0
    return depth


def author_key(p: PostRecord) -> str:
    return p.author.email or f"{p.author.name}|{p.author.username}"


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(tmp_path):
    first, again, other = (tmp_path / name for name in ("a.xml", "b.xml", "c.xml"))
    disqus_export.write_export(first, threads=2, posts_per_thread=300, seed=11)
    disqus_export.write_export(again, threads=2, posts_per_thread=300, seed=11)
    disqus_export.write_export(other, threads=2, posts_per_thread=300, seed=12)

    assert first.read_bytes() == again.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_the_command_line_writes_what_write_export_writes_and_its_stats(tmp_path, capsys):
    args = ["--threads", "2", "--posts-per-thread", "200", "--seed", "3", "--slug", "ignored"]
    path = tmp_path / "cli.xml"

    assert disqus_export.main([*args, "-o", str(path), "--stats"]) == 0

    stats = json.loads(capsys.readouterr().err)
    stream = io.StringIO()
    expected = disqus_export.write_export(stream, threads=2, posts_per_thread=200, seed=3)
    assert path.read_bytes() == stream.getvalue().encode("utf-8")
    assert stats["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() == expected.sha256
    assert (stats["threads"], stats["posts"]) == (2, 400)


def test_the_script_runs_on_its_own_and_writes_utf8_to_stdout(tmp_path):
    path = tmp_path / "file.xml"
    disqus_export.write_export(path, posts_per_thread=50, seed=5, slug="on-its-own")

    args = ["--posts-per-thread", "50", "--seed", "5", "--slug", "on-its-own"]
    out = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        check=True,
        capture_output=True,
        env={"PYTHONIOENCODING": "ascii", "PYTHONUTF8": "0"},  # a stdout that is not UTF-8
    ).stdout

    assert out == path.read_bytes()


def test_the_importers_parser_finds_no_problem_and_every_thread_and_post(export):
    path, parsed = export

    assert parsed.problems == []
    assert len(parsed.threads) == 2
    assert len(parsed.posts) == 3000
    assert len({p.dsq_id for p in parsed.posts}) == 3000
    assert Counter(p.thread_id for p in parsed.posts) == dict.fromkeys(parsed.threads, 1500)
    # The importer refuses a live post whose message has no text.
    assert all(html_to_text(p.message).strip() for p in parsed.posts)
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<disqus ')


def test_threads_have_titles_links_and_times_the_importer_can_use(export, tmp_path):
    _, parsed = export
    for t in parsed.threads.values():
        assert t.title and t.created_at is not None
        assert re.fullmatch(r"https://[a-z.]+/articles/[a-z0-9]+(-[a-z0-9]+)*/", t.link)

    single = generate(tmp_path / "one.xml", posts_per_thread=5, slug="my-story")
    (thread,) = single.threads.values()
    assert thread.link.endswith("/articles/my-story/")

    many = generate(tmp_path / "many.xml", threads=40, posts_per_thread=2, seed=9)
    slugs = [t.link.rstrip("/").rsplit("/", 1)[1] for t in many.threads.values()]
    assert len(set(slugs)) == 40
    assert any(URDU_LETTER.search(t.title) for t in many.threads.values())


def test_every_reply_follows_its_parent_in_the_same_thread_and_nests_at_most_max_depth(
    export, tmp_path
):
    _, parsed = export
    shallow = generate(tmp_path / "shallow.xml", posts_per_thread=1000, max_depth=2, seed=4)
    flat = generate(tmp_path / "flat.xml", posts_per_thread=200, max_depth=0, seed=4)

    for posts, max_depth in ((parsed.posts, 6), (shallow.posts, 2), (flat.posts, 0)):
        place = {p.dsq_id: i for i, p in enumerate(posts)}
        by_id = {p.dsq_id: p for p in posts}
        for i, p in enumerate(posts):
            if p.parent_id:
                assert place[p.parent_id] < i
                assert by_id[p.parent_id].thread_id == p.thread_id
                assert by_id[p.parent_id].created_at < p.created_at
        deepest = max(depths(posts).values())
        assert deepest == max_depth  # reached, never passed


def test_top_level_posts_and_repeat_commenters_come_at_about_the_shares_asked(export):
    _, parsed = export
    posts = parsed.posts

    top = sum(not p.parent_id for p in posts) / len(posts)
    seen: set[str] = set()
    repeats = 0
    for p in posts:
        repeats += author_key(p) in seen
        seen.add(author_key(p))

    assert 0.35 < top < 0.45
    assert 0.25 < repeats / len(posts) < 0.35


def test_deleted_and_spam_posts_come_at_about_their_rates_and_get_no_replies(export):
    _, parsed = export
    posts = parsed.posts

    deleted = {p.dsq_id for p in posts if p.is_deleted}
    spam = {p.dsq_id for p in posts if p.is_spam}

    assert 0.5 * 0.04 * 3000 < len(deleted) < 1.5 * 0.04 * 3000
    assert 0.5 * 0.03 * 3000 < len(spam) < 1.5 * 0.03 * 3000
    assert not deleted & spam
    assert not [p for p in posts if p.parent_id in deleted | spam]


def test_guests_with_and_without_email_and_registered_authors_all_occur(export):
    path, parsed = export
    authors = {author_key(p): p.author for p in parsed.posts}.values()

    registered = [a for a in authors if not a.anonymous]
    guests = [a for a in authors if a.anonymous]
    assert registered and all(a.username and a.email for a in registered)
    assert all(not a.username for a in guests)
    assert any(a.email for a in guests)
    assert any(not a.email for a in guests)
    assert b"<email></email>" not in path.read_bytes()  # a guest without one has no element


def test_messages_mix_urdu_script_roman_urdu_and_accented_latin_letters(export):
    _, parsed = export
    texts = [html_to_text(p.message) for p in parsed.posts]

    urdu = sum(bool(URDU_LETTER.search(t)) for t in texts)
    assert 0.2 * len(texts) < urdu < 0.6 * len(texts)
    assert sum(not URDU_LETTER.search(t) for t in texts) > 0.4 * len(texts)
    assert any(re.search(r"\b(hai|nahi|shukriya)\b", t) for t in texts)
    assert any(ACCENTED_LATIN.search(t) for t in texts)
    assert any(ACCENTED_LATIN.search(p.author.name) for p in parsed.posts)
    assert any(URDU_LETTER.search(p.author.name) for p in parsed.posts)


def test_messages_hold_paragraphs_line_breaks_links_and_mentions_of_earlier_commenters(export):
    _, parsed = export
    messages = [p.message for p in parsed.posts if not p.is_spam]

    assert all(m.startswith("<p>") and m.endswith("</p>") for m in messages)
    assert sum(m.count("<p>") > 1 for m in messages) > 0.1 * len(messages)
    assert any("<br>" in m for m in messages)
    assert 0.03 * len(messages) < sum('<a href="https://' in m for m in messages)

    names_so_far: dict[str, set[str]] = defaultdict(set)
    by_id = {p.dsq_id: p for p in parsed.posts}
    mentions = answering_parent = 0
    for p in parsed.posts:
        if p.message.startswith("<p>@"):
            mentions += 1
            assert any(p.message.startswith(f"<p>@{n} ") for n in names_so_far[p.thread_id])
            parent = by_id.get(p.parent_id)
            answering_parent += parent is not None and p.message.startswith(
                f"<p>@{parent.author.name} "
            )
        names_so_far[p.thread_id].add(p.author.name)
    assert mentions > 0.05 * len(parsed.posts)
    assert answering_parent > 0.5 * mentions


def test_ampersands_and_angle_brackets_are_escaped_and_no_cdata_ends_early(export, tmp_path):
    path, parsed = export
    raw = path.read_text(encoding="utf-8")
    texts = [html_to_text(p.message) for p in parsed.posts]

    assert raw.count("]]>") == raw.count("<![CDATA[")  # each CDATA closes once, at its end
    for p in parsed.posts:  # in the HTML, "&" starts an entity and "<" a tag
        assert not re.search(r"&(?!amp;|lt;|gt;)", p.message)
        assert not re.search(r"<(?!/?(p|br|a|b|i)[ >])", p.message)
    assert any("&" in t for t in texts)
    assert any("<" in t for t in texts)
    assert any("&amp;t=" in p.message for p in parsed.posts)  # in a link's address too
    titled = generate(tmp_path / "titles.xml", threads=40, posts_per_thread=2, seed=9)
    assert any("&" in t.title for t in titled.threads.values())


def test_created_at_strictly_increases_within_each_thread(export):
    _, parsed = export
    last = {tid: t.created_at for tid, t in parsed.threads.items()}
    for p in parsed.posts:
        assert p.created_at > last[p.thread_id]
        last[p.thread_id] = p.created_at
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
        re.search(r"<createdAt>([^<]+)</createdAt>", export[0].read_text()).group(1),
    )


def test_ten_thousand_posts_take_well_under_two_seconds():
    started = time.process_time()
    text, stats = disqus_export.render_export(posts_per_thread=10_000, seed=1)
    assert stats.posts == 10_000 and text.count("<post ") == 10_000
    assert time.process_time() - started < 2.0
