"""The Urdu interface is whole: every string the code and templates mark has an Urdu
translation in locale/ (scripts/messages.py --check), the compiled catalogs are
current, and the check does fail on a string nobody translated."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@cache
def _messages():
    spec = importlib.util.spec_from_file_location("messages", ROOT / "scripts" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_marked_string_has_an_urdu_translation():
    found = _messages().problems()
    assert not found, "\n".join(found) + "\nRun `make messages` and translate."


def test_the_check_fails_on_a_string_nobody_translated(tmp_path):
    (tmp_path / "new.html").write_text(
        '<p>{% translate "A sentence written a minute ago" %}</p>', encoding="utf-8"
    )
    found = _messages().problems(extra=tmp_path)
    assert "no Urdu translation: 'A sentence written a minute ago'" in found


def test_the_check_fails_on_a_plural_nobody_translated(tmp_path):
    (tmp_path / "counted.html").write_text(
        "{% blocktranslate count n=3 %}{{ n }} new shelf{% plural %}{{ n }} new shelves"
        "{% endblocktranslate %}",
        encoding="utf-8",
    )
    found = _messages().problems(extra=tmp_path)
    assert "no Urdu translation: '%(n)s new shelf'" in found
