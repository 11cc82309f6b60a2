"""core.compression: which encoding a client gets, and what the middleware leaves
alone (short bodies, bodies already encoded, streamed files, images)."""

from __future__ import annotations

import pytest
from django.http import FileResponse, HttpRequest, HttpResponse
from django.test import RequestFactory

from core import compression
from core.compression import CompressionMiddleware, negotiate

TEXT = ("<p>Comments are moderated. Naming survivors is never allowed.</p>\n" * 200).encode()


@pytest.mark.parametrize(
    ("header", "encoding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0.5, br;q=0.8", "br"),
        ("gzip;q=1.0, br;q=0.5", "gzip"),
        ("*", "br"),
        ("*;q=0, gzip", "gzip"),
        ("identity", ""),
        ("br;q=0, gzip;q=0", ""),
        ("", ""),
        ("GZIP", "gzip"),
        ("br;q=nonsense, gzip", "gzip"),
    ],
)
def test_the_encoding_is_the_best_the_client_accepts(header, encoding):
    assert negotiate(header) == encoding


@pytest.mark.parametrize("encoding", ["br", "gzip", ""])
def test_compressed_bodies_decompress_to_what_was_sent(encoding):
    for compress in (compression.compress_stored, compression.compress_response):
        assert compression.decompress(compress(TEXT, encoding), encoding) == TEXT


def test_a_stored_copy_is_the_same_bytes_every_time_and_one_response_is_padded():
    """No random padding in a copy kept for everyone (it holds no secret); a gzip
    body made for one reader gets Django's random-length name in its header."""
    assert compression.compress_stored(TEXT, "gzip") == compression.compress_stored(TEXT, "gzip")
    sizes = {len(compression.compress_response(TEXT, "gzip")) for _ in range(20)}
    assert len(sizes) > 1


def run(response: HttpResponse, accept: str = "gzip, deflate, br") -> HttpResponse:
    request: HttpRequest = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return CompressionMiddleware(lambda r: response)(request)


def test_the_middleware_compresses_text_and_says_it_varies():
    response = run(HttpResponse(TEXT, content_type="text/html; charset=utf-8"))
    assert response["Content-Encoding"] == "br"
    assert response["Vary"] == "Accept-Encoding"
    assert int(response["Content-Length"]) == len(response.content) < len(TEXT) / 10
    assert compression.decompress(response.content, "br") == TEXT


def test_the_middleware_weakens_a_strong_etag_of_a_body_it_compressed():
    response = HttpResponse(TEXT, content_type="text/html")
    response["ETag"] = '"abc"'
    assert run(response)["ETag"] == 'W/"abc"'


def test_the_middleware_leaves_short_encoded_streamed_and_binary_bodies_alone(tmp_path):
    short = run(HttpResponse(b"<p>ok</p>", content_type="text/html"))
    assert "Content-Encoding" not in short and short["Vary"] == "Accept-Encoding"

    done = HttpResponse(b"already", content_type="text/html")
    done["Content-Encoding"] = "br"
    assert run(done).content == b"already"

    image = run(HttpResponse(b"\x89PNG" * 500, content_type="image/png"))
    assert "Content-Encoding" not in image

    path = tmp_path / "big.txt"
    path.write_bytes(TEXT)
    streamed = run(FileResponse(path.open("rb"), content_type="text/plain"))
    assert "Content-Encoding" not in streamed
    streamed.close()


def test_a_client_that_accepts_nothing_gets_the_plain_body():
    response = run(HttpResponse(TEXT, content_type="text/html"), accept="")
    assert response.content == TEXT
    assert response["Vary"] == "Accept-Encoding"
