"""Render the site's pages and check them with the Nu Html Checker (`make check-html`).

Builds a throwaway database (Django's test database for DATABASE_URL, dropped at the
end), loads the demo content into it (tests/html/pages.py), renders every page of
`pages()` as its persona, writes each to OUT_DIR/<name>.html and runs vnu.jar on them.
Prints every error with its page and line, and exits 1 if there is any.

Usage: python scripts/check_html.py VNU_JAR [OUT_DIR]   (scripts/dev.sh check-html)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    vnu = Path(argv[1])
    out_dir = Path(argv[2]) if len(argv) > 2 else ROOT / "test-artifacts" / "html"
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metoo_site.settings")
    os.environ.setdefault("METOO_ENV", "test")

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.html.pages import build_site, pages, persona_clients, render_pages

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    # Not the test runner's name: a pytest run at the same time keeps its database.
    connection.settings_dict["TEST"]["NAME"] = f"test_{old_name}_html"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        build_site()
        found = pages()
        html = render_pages(found, client_for=persona_clients())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.html"):
        old.unlink()
    files = {}
    for page in found:
        path = out_dir / f"{page.name}.html"
        path.write_text(html[page.name], encoding="utf-8")
        files[str(path)] = page
    java = shutil.which("java") or "java"
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        [java, "-jar", str(vnu), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        print(result.stdout, result.stderr, file=sys.stderr)
        return 2
    errors: dict[str, list[dict[str, object]]] = {name: [] for name in files}
    for message in messages:
        if message.get("type") != "error":
            continue
        path = str(message.get("url", "")).removeprefix("file:")
        errors.setdefault(path, []).append(message)
    total = 0
    for path, found_errors in errors.items():
        page = files.get(path)
        label = f"{page.name} ({page.persona or 'anonymous'}, {page.url})" if page else path
        print(f"{len(found_errors):4d} errors  {label}")
        for message in found_errors:
            print(f"        line {message.get('lastLine', '?')}: {message.get('message')}")
            extract = str(message.get("extract", "")).strip().replace("\n", " ")
            if extract:
                print(f"          {extract[:160]}")
        total += len(found_errors)
    print(f"Nu Html Checker: {total} errors on {len(files)} pages (HTML in {out_dir})")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
