"""The garbage collector in a gunicorn worker (deploy/gunicorn.conf.py): once the
site is loaded, its long-lived objects are frozen out of collections and the young
generation's threshold is raised, so a request for a long thread does not spend its
time walking objects that will never be garbage (docs/PERFORMANCE.md)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tests.site.test_serving import _config


@pytest.fixture
def restored_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_a_worker_freezes_the_loaded_site_and_raises_the_young_threshold(restored_gc):
    config = _config()
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    config.post_worker_init(None)
    # The URLconf's views were imported first, and everything then alive is frozen.
    assert gc.get_freeze_count() > 10_000
    assert gc.get_threshold()[0] == 10_000


def test_the_threshold_moves_with_the_environment_and_zero_keeps_pythons(restored_gc):
    default = gc.get_threshold()
    _config(GUNICORN_GC_THRESHOLD="0").post_worker_init(None)
    assert gc.get_threshold() == default
    _config(GUNICORN_GC_THRESHOLD="25000").post_worker_init(None)
    assert gc.get_threshold()[0] == 25_000
