"""A Disqus export read while Django starts (comments.importers.early).

A fork copies a process as it is, so `start` runs in a process of its own in
these tests: one that imports nothing but the reader, as manage.py does before
Django, and prints what `take` gave back."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from comments.importers import early
from comments.importers.disqus_file import ParsedExport, parse, prepare_texts
from comments.models import Comment, CommentStatus
from tests.comments.datasets import make_export
from tests.factories import ArticleFactory
from tests.processes import database_url

ROOT = Path(__file__).resolve().parents[2]


def read_early(script: str, *args: str) -> ParsedExport | None:
    """Run `script` (which ends by pickling a result to stdout) in a new process."""
    prelude = "import pickle, sys\nfrom comments.importers import early\n"
    result = subprocess.run(
        [sys.executable, "-c", prelude + script, *args],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    return pickle.loads(result.stdout)  # noqa: S301 (a process of this test's)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return make_export(
        tmp_path / "export.xml", "--posts-per-thread", "120", "--seed", "7", "--slug", "early"
    )


def test_what_is_read_early_is_what_the_command_would_read_itself(export):
    taken = read_early(
        "early.start(sys.argv[1])\nsys.stdout.buffer.write(pickle.dumps(early.take(sys.argv[1])))",
        str(export),
    )
    direct = parse(export)
    prepare_texts(direct.posts)

    assert taken == direct
    assert all(p.body_html is not None for p in taken.posts)
    assert any(p.body_lang == "ur" for p in taken.posts)  # the texts were made too


def test_the_file_is_found_among_the_commands_arguments(export):
    taken = read_early(
        "early.start_for_arguments(['--create-articles', 'archive', sys.argv[1], '-v', '2'])\n"
        "sys.stdout.buffer.write(pickle.dumps(early.take(sys.argv[1])))",
        str(export),
    )
    assert taken is not None
    assert len(taken.posts) == 120


def test_a_file_changed_after_the_start_is_read_again_by_the_command(export):
    taken = read_early(
        "early.start(sys.argv[1])\n"
        "with open(sys.argv[1], 'a') as f:\n"
        "    f.write('<!-- changed -->')\n"
        "sys.stdout.buffer.write(pickle.dumps(early.take(sys.argv[1])))",
        str(export),
    )
    assert taken is None


def test_another_file_is_not_taken_for_the_one_read(export, tmp_path):
    other = make_export(tmp_path / "other.xml", "--posts-per-thread", "5", "--seed", "8")
    taken = read_early(
        "early.start(sys.argv[1])\nsys.stdout.buffer.write(pickle.dumps(early.take(sys.argv[2])))",
        str(export),
        str(other),
    )
    assert taken is None


def test_nothing_is_started_beside_a_running_thread(export):
    """A fork copies only the thread that calls it: with another running, the
    file is left to the command."""
    taken = read_early(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(1,), daemon=True).start()\n"
        "early.start(sys.argv[1])\n"
        "sys.stdout.buffer.write(pickle.dumps(early.take(sys.argv[1])))",
        str(export),
    )
    assert taken is None


def test_without_a_start_there_is_nothing_to_take(export):
    assert early.take(str(export)) is None


@pytest.mark.django_db(transaction=True)  # the command's own connection commits
def test_the_command_stores_from_an_early_read_what_it_stores_from_its_own(export):
    # The export's thread links to /articles/early/. (A new article would need the
    # role groups, which a test that commits does not keep.)
    ArticleFactory(slug="early")
    env = {k: v for k, v in os.environ.items() if k != "MIGRATE_DATABASE_URL"}
    command = ["manage.py", "import_disqus", str(export)]
    result = subprocess.run(
        [sys.executable, *command, "-v", "2"],
        cwd=ROOT,
        env=env | {"DATABASE_URL": database_url()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "The file was read while Django started." in result.stdout

    direct = parse(export)
    prepare_texts(direct.posts)
    stored = {
        c.import_ref: (c.status, c.body, c.body_html, c.body_lang) for c in Comment.objects.all()
    }
    expected = {}
    for p in direct.posts:
        if p.is_spam:
            status, texts = CommentStatus.REJECTED, (p.body, p.body_html, p.body_lang)
        elif p.is_deleted:
            status, texts = CommentStatus.DELETED_BY_AUTHOR, ("", "", "")
        else:
            status, texts = CommentStatus.PUBLISHED, (p.body, p.body_html, p.body_lang)
        expected[f"disqus:{p.dsq_id}"] = (status.value, *texts)
    assert stored == expected
