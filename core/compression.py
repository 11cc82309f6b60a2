"""Compressed responses: brotli or gzip, whichever the client accepts, for HTML and
the other text the site sends.

Readers on mobile networks pay by the megabyte: an article page of 50 threads is
about 320 KB of HTML and 20 KB in brotli, a whole thread of 2,000 comments 1.4 MB
and 80 KB. Two ways in:

- `CompressionMiddleware` compresses a text response made for one request (a
  signed-in reader's page, a feed, a JSON answer) on its way out, at a quality
  chosen for speed (about 1 ms for a 300 KB page).
- A response a view already encoded (it sets `Content-Encoding`, as the shared
  article pages do from their stored, compressed copies: comments/threadcache.py)
  passes through untouched, so a cached page costs no compression work.

Either way the response says `Vary: Accept-Encoding`, so no cache hands a brotli
body to a client that cannot read it.

On BREACH (guessing a secret in a compressed page from its length): the pages
compressed here for one reader carry their CSRF token masked afresh on every
response (Django's own defence), the session cookie is SameSite=Lax (a page on
another site cannot have the reader's browser fetch these pages with it, except
by navigating), and a gzip body gets a random-length name in its header (Django's
"Heal the Breach" padding, as its GZipMiddleware adds). Shared pages carry no
secret at all.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

import brotli  # type: ignore[import-untyped]
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

BROTLI = "br"
GZIP = "gzip"
IDENTITY = ""

# Qualities by use. Stored copies are compressed once per change of what they show
# and served many times: brotli 5 is within 2% of 6-8 on this site's pages at a
# fraction of the time (a 1.4 MB thread: 6 ms; 11 would take over a second). A body
# compressed for one response favours speed.
STORED_BROTLI_QUALITY = 5
RESPONSE_BROTLI_QUALITY = 4
STORED_GZIP_LEVEL = 6
RESPONSE_GZIP_LEVEL = 5

# Not worth a header's bytes below this.
MIN_SIZE = 512
# Django's "Heal the Breach" padding for gzip bodies made for one reader.
GZIP_RANDOM_BYTES = 100

TEXT_TYPES = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/rss+xml",
    "application/atom+xml",
    "application/manifest+json",
    "image/svg+xml",
)


def negotiate(accept_encoding: str) -> str:
    """The encoding to send for this Accept-Encoding header: "br", "gzip" or ""
    (none). Brotli when both are accepted (a fifth smaller on these pages); an
    encoding given q=0 is refused, and "*" stands for any encoding not named."""
    if not accept_encoding:
        return IDENTITY
    weights: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.partition(";")
        name = name.strip()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name] = weight
    best, best_weight = IDENTITY, 0.0
    for name in (BROTLI, GZIP):
        weight = weights.get(name, weights.get("*", 0.0))
        if weight > best_weight:
            best, best_weight = name, weight
    return best


def request_encoding(request: HttpRequest) -> str:
    return negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))


def compress_stored(data: bytes, encoding: str) -> bytes:
    """`data` in `encoding`, for a copy kept and served many times: the same bytes
    every time for the same input (no random padding: nothing secret is in it)."""
    if encoding == BROTLI:
        return bytes(brotli.compress(data, quality=STORED_BROTLI_QUALITY, mode=brotli.MODE_TEXT))
    if encoding == GZIP:
        return gzip.compress(data, compresslevel=STORED_GZIP_LEVEL, mtime=0)
    return data


def compress_response(data: bytes, encoding: str) -> bytes:
    """`data` in `encoding`, for one response to one reader (see the module's note
    on BREACH for the gzip padding)."""
    if encoding == BROTLI:
        return bytes(brotli.compress(data, quality=RESPONSE_BROTLI_QUALITY, mode=brotli.MODE_TEXT))
    if encoding == GZIP:
        return compress_string(data, max_random_bytes=GZIP_RANDOM_BYTES)
    return data


def decompress(data: bytes, encoding: str) -> bytes:
    """The bytes `compress_*` took (for tests and the benchmark's checks)."""
    if encoding == BROTLI:
        return bytes(brotli.decompress(data))
    if encoding == GZIP:
        return zlib.decompress(data, wbits=31)
    return data


def is_text(response: HttpResponseBase) -> bool:
    content_type = response.get("Content-Type", "").lower()
    return content_type.startswith(TEXT_TYPES)


def set_encoding(response: HttpResponse, encoding: str) -> None:
    """Say on `response` that its body, compressed here, is in `encoding`."""
    patch_vary_headers(response, ("Accept-Encoding",))
    if encoding:
        response.headers["Content-Encoding"] = encoding
        etag = response.get("ETag")
        # A strong validator names one representation (RFC 9110 8.8.1): made weak,
        # as Django's GZipMiddleware does, it still matches on a conditional GET.
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
    response.headers["Content-Length"] = str(len(response.content))


class CompressionMiddleware:
    """Compress text responses made for one request when the client accepts brotli
    or gzip; leave alone what is already encoded, streamed, short or not text.
    Placed above everything that reads or writes a response's body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.streaming
            or not isinstance(response, HttpResponse)
            or response.has_header("Content-Encoding")
            or not is_text(response)
        ):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if len(response.content) < MIN_SIZE or response.status_code == 206:
            return response
        encoding = request_encoding(request)
        if not encoding:
            return response
        compressed = compress_response(response.content, encoding)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        set_encoding(response, encoding)
        return response
