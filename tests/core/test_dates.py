"""core.dates: the one date format, in English and in Urdu."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import translation

from core.dates import newsdate, newsday, time_element

KARACHI = ZoneInfo("Asia/Karachi")
MORNING = datetime(2018, 11, 13, 4, 47, tzinfo=UTC)  # 09:47 in Karachi
AFTERNOON = datetime(2018, 11, 13, 10, 5, tzinfo=UTC)  # 15:05 in Karachi
MIDNIGHT = datetime(2019, 1, 2, 19, 3, tzinfo=UTC)  # 00:03 on Jan 3 in Karachi


def test_english_moment_is_written_as_the_paper_prints_it():
    with translation.override("en"):
        assert newsdate(MORNING, KARACHI) == "Nov 13, 2018 09:47am"
        assert newsdate(AFTERNOON, KARACHI) == "Nov 13, 2018 03:05pm"
        assert newsdate(MIDNIGHT, KARACHI) == "Jan 03, 2019 12:03am"


def test_english_day_is_unchanged():
    with translation.override("en"):
        assert newsday(MORNING, KARACHI) == "13 Nov, 2018"
        assert newsday(MIDNIGHT, KARACHI) == "03 Jan, 2019"


def test_urdu_moment_has_an_urdu_month_and_a_24_hour_clock():
    with translation.override("ur"):
        assert newsdate(MORNING, KARACHI) == "13 نومبر 2018، 09:47"
        assert newsdate(AFTERNOON, KARACHI) == "13 نومبر 2018، 15:05"
        assert newsdate(MIDNIGHT, KARACHI) == "03 جنوری 2019، 00:03"


def test_urdu_day_has_an_urdu_month():
    with translation.override("ur"):
        assert newsday(MORNING, KARACHI) == "13 نومبر 2018"
        assert newsday(datetime(2020, 5, 1, 12, tzinfo=UTC), KARACHI) == "01 مئی 2020"


def test_every_urdu_month_name_is_urdu_and_none_is_english():
    with translation.override("ur"):
        days = [newsday(datetime(2021, m, 15, 12, tzinfo=UTC), KARACHI) for m in range(1, 13)]
    assert len({d.split()[1] for d in days}) == 12
    assert not any(ch.isascii() and ch.isalpha() for d in days for ch in d)


def test_time_element_keeps_the_machine_instant_in_both_languages():
    with translation.override("ur"):
        urdu = time_element(AFTERNOON, KARACHI)
    with translation.override("en"):
        english = time_element(AFTERNOON, KARACHI)
    assert urdu == '<time datetime="2018-11-13T10:05:00+00:00">13 نومبر 2018، 15:05</time>'
    assert english == '<time datetime="2018-11-13T10:05:00+00:00">Nov 13, 2018 03:05pm</time>'


def test_no_date_is_empty_in_both_languages():
    for code in ("en", "ur"):
        with translation.override(code):
            assert newsdate(None) == newsday(None) == time_element(None) == ""
