"""With Redis as the cache, a Redis outage degrades to uncached pages and readers are
still served (core.caches.ResilientRedisCache); once Redis answers again nobody sees a
thread as it was before a change made while it was away.

The Redis here is the shared one on 127.0.0.1:6379, reached through a relay of the
test's own that the test cuts (a Redis gone: connections refused and dropped) or
stalls (a Redis that accepts and never answers). Redis keeps its data all along, as
it does across a network cut, the hardest case for the thread cache."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
import uuid

import pytest
from django.core.cache import caches
from django.db import connection

from comments.services import comment_post
from core.caches import RETRY_SECONDS, CacheUnavailable, ResilientRedisCache

REDIS = ("127.0.0.1", 6379)
REDIS_DB = 13  # this file's own; keys carry a prefix of each test's own too


class Relay:
    """A TCP relay to Redis that can be cut (`down`), stalled (`stall`) and restored."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stalled = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._serve()

    def _serve(self) -> None:
        threading.Thread(target=self._accept, args=(self._listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self._stalled.is_set():
                self._keep(client)  # accepted, never answered
                continue
            upstream = socket.create_connection(REDIS)
            self._keep(client, upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self._stalled.is_set():
                    time.sleep(0.01)
                sink.sendall(data)
        except OSError:
            pass

    def _keep(self, *sockets: socket.socket) -> None:
        with self._lock:
            self._sockets.extend(sockets)

    def _drop_connections(self) -> None:
        with self._lock:
            for s in self._sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._sockets.clear()

    def down(self) -> None:
        # shutdown first: close alone leaves a socket that a blocked accept() holds
        # listening.
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._drop_connections()

    def stall(self) -> None:
        self._stalled.set()

    def up(self) -> None:
        self._stalled.clear()
        self._drop_connections()
        if self._listener.fileno() == -1:
            self._listener = socket.create_server(("127.0.0.1", self.port))
            self._serve()

    def close(self) -> None:
        self.down()


@pytest.fixture
def relay():
    r = Relay()
    yield r
    r.close()


def _redis_cache(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "core.caches.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/{REDIS_DB}",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}",
        }
    }


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_redis_that_does_not_answer_is_a_cache_that_keeps_nothing(caplog):
    # A port of its own that nothing listens on: no other test has found it down yet.
    cache = ResilientRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="core.caches"):
        assert cache.get("k") is None
        assert cache.get("k", "fallback") == "fallback"
        cache.set("k", 1)
        assert cache.add("k", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        assert cache.delete("k") is False
        assert cache.touch("k") is False
        assert cache.get_or_set("k", "made") == "made"
        with pytest.raises(CacheUnavailable):
            cache.incr("k")
        with pytest.raises(ValueError):  # what callers of Django's incr already handle
            cache.decr("k")

    assert time.monotonic() - started < 1.0
    said = [r.getMessage() for r in caplog.records if r.name == "core.caches"]
    assert len(said) == 1 and "does not answer" in said[0]


def test_readers_are_served_while_redis_is_away_and_see_what_changed_meanwhile(
    client, settings, relay, article, reader, other_reader, django_capture_on_commit_callbacks
):
    settings.CACHES = _redis_cache(relay.port)
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(author=other_reader, article=article, body="Before the outage")
    url = article.get_absolute_url()
    assert "Before the outage" in client.get(url).content.decode()  # cached in Redis

    relay.down()
    page = client.get(url)
    assert page.status_code == 200
    assert "Before the outage" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # its version mark fails
        comment_post(author=reader, article=article, body="Posted while Redis was away")
    assert "Posted while Redis was away" in client.get(url).content.decode()

    relay.up()
    time.sleep(RETRY_SECONDS)  # the backend tries Redis again after this
    page = client.get(url).content.decode()
    assert "Posted while Redis was away" in page
    assert caches["default"].get("still") is None
    caches["default"].set("still", "kept")
    assert caches["default"].get("still") == "kept"  # Redis is used again


@pytest.mark.django_db(transaction=True)  # the page is read from another thread
def test_a_redis_that_stops_answering_costs_a_page_one_short_wait(
    client, settings, relay, article, other_reader
):
    settings.CACHES = _redis_cache(relay.port)
    comment_post(author=other_reader, article=article, body="A thread to read")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200

    relay.stall()
    answered: list[tuple[int, float]] = []

    def read() -> None:
        started = time.monotonic()
        status = client.get(url).status_code
        answered.append((status, time.monotonic() - started))
        connection.close()  # this thread's own, back to the pool

    reader_thread = threading.Thread(target=read, daemon=True)
    reader_thread.start()
    reader_thread.join(timeout=10)
    relay.up()
    reader_thread.join(timeout=10)

    assert answered, "the page waited for Redis for more than ten seconds"
    status, seconds = answered[0]
    assert status == 200
    assert seconds < 1.5
