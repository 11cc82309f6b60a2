"""What this release of the site is, as a short digest, for the keys and ETags of
pages kept in a shared cache or by browsers: a page stored by the previous release
(old templates, old static file names) must not be served, or confirmed with a
304, by this one.

The digest covers the templates and the Python code of the project's own packages
(the folders next to manage.py named in INSTALLED_APPS), the static files'
manifest when `collectstatic` wrote one, and the settings that change what a page
says. A `RELEASE_ID` the deployment sets (settings.RELEASE_ID: a commit hash, say)
is taken as it is instead of the code's digest. Worked out once per process, on first
use (a few milliseconds).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings

# Settings a page's HTML depends on, beyond the code.
PAGE_SETTINGS = (
    "SITE_NAME",
    "SITE_URL",
    "TIME_ZONE",
    "LANGUAGE_CODE",
    "STATIC_URL",
    "COMMENTS_PAGE_SIZE",
    "COMMENT_DISPLAY_DEPTH",
    "COMMENT_MAX_LENGTH",
    "COMMENT_EDIT_WINDOW_MINUTES",
)


def _sources(base: Path) -> list[Path]:
    folders = [base / "templates"]
    folders += [base / app for app in settings.INSTALLED_APPS if "." not in app]
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files += [p for p in folder.rglob("*") if p.suffix in {".py", ".html", ".txt"}]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    return sorted(files)


@cache
def release_id() -> str:
    """16 hex characters naming this code, its templates and page settings."""
    given = settings.RELEASE_ID.strip()
    digest = hashlib.blake2b(digest_size=8)
    if given:
        digest.update(given.encode())
    else:
        base = Path(settings.BASE_DIR)
        for path in _sources(base):
            name = path.relative_to(base) if path.is_relative_to(base) else path.name
            digest.update(str(name).encode())
            digest.update(path.read_bytes())
    for name in PAGE_SETTINGS:
        digest.update(f"{name}={getattr(settings, name, '')!r};".encode())
    return digest.hexdigest()
