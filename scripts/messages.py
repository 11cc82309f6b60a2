"""The interface's Urdu catalog: extract, compile, check.

    python scripts/messages.py           `make messages`: gather every marked string
                                         into locale/ur/LC_MESSAGES/django.po (new ones
                                         untranslated, translations kept), then compile
                                         both catalogs to their .mo files
    python scripts/messages.py --check   fail, naming each, when a marked string has no
                                         Urdu translation (or a fuzzy one), or when a
                                         committed .mo is older than its .po

Two catalogs (settings.LOCALE_PATHS): locale/ holds the strings this project marks,
made by Django's makemessages from the code and templates; locale/thirdparty/ holds
Urdu for the strings of the libraries the site shows (allauth's sign-in pages,
Django's form errors) that those libraries do not translate, written by hand. The
.mo files are committed, so serving the site needs no gettext; extracting and
checking do (GNU gettext: xgettext, msgmerge, msgfmt, msgattrib; scripts/ensure-
gettext.sh installs them with `make test`).

Both extract in a scratch folder that links to the sources (so nothing else in the
checkout is read, and the check never touches the committed catalog).
"""

from __future__ import annotations

import argparse
import gettext
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
THIRDPARTY = LOCALE / "thirdparty"
LANGUAGE = "ur"
# What makemessages reads: the apps and the project's templates.
SOURCES = ("accounts", "articles", "comments", "core", "metoo_site", "moderation", "templates")
IGNORE = ("migrations", "tests", "__pycache__")


def catalog(root: Path) -> Path:
    return root / LANGUAGE / "LC_MESSAGES" / "django.po"


def makemessages(workdir: Path) -> None:
    """Run Django's makemessages for Urdu in `workdir`, a scratch folder of links to
    the sources, writing `workdir`/locale."""
    args = [
        sys.executable,
        str(ROOT / "manage.py"),
        "makemessages",
        "--locale",
        LANGUAGE,
        "--extension",
        "html,txt,py",
        "--symlinks",
        "--add-location",
        "file",
        "--no-obsolete",
        "--verbosity",
        "0",
    ]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "metoo_site.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(args, cwd=workdir, env=env, check=True)


def compile_catalog(po: Path) -> None:
    subprocess.run(
        ["msgfmt", "--check", "--output-file", str(po.with_suffix(".mo")), str(po)], check=True
    )


def untranslated(po: Path) -> list[str]:
    """The msgids of `po` with no translation, or only a fuzzy one."""
    found: list[str] = []
    for flag in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-location", "--no-wrap", str(po)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        found += [
            line.removeprefix("msgid ").strip('"')
            for line in out.splitlines()
            if line.startswith('msgid "') and line != 'msgid ""'
        ]
    return found


def extracted(extra: Path | None = None) -> Path:
    """makemessages in a scratch folder, over the sources (and `extra`, a folder of
    templates a test adds), merged with the committed catalog: the catalog as it
    would be. The caller removes the folder."""
    scratch = Path(tempfile.mkdtemp(prefix="metoo-messages-"))
    for name in SOURCES:
        (scratch / name).symlink_to(ROOT / name, target_is_directory=True)
    if extra is not None:
        (scratch / "extra").symlink_to(extra, target_is_directory=True)
    shutil.copytree(LOCALE, scratch / "locale", ignore=shutil.ignore_patterns("thirdparty"))
    makemessages(scratch)
    return scratch


def problems(extra: Path | None = None) -> list[str]:
    """What `--check` reports; empty when the catalogs are complete and compiled."""
    found: list[str] = []
    scratch = extracted(extra)
    try:
        for msgid in untranslated(catalog(scratch / "locale")):
            found.append(f"no Urdu translation: {msgid!r}")
    finally:
        shutil.rmtree(scratch)
    for root in (LOCALE, THIRDPARTY):
        po = catalog(root)
        for msgid in untranslated(po):
            found.append(f"no Urdu translation in {po.relative_to(ROOT)}: {msgid!r}")
        found += stale_mo(po)
    return found


def stale_mo(po: Path) -> list[str]:
    """Whether the committed .mo says what its .po says."""
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return [f"{mo.relative_to(ROOT)} is missing"]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.mo"
        subprocess.run(["msgfmt", "--output-file", str(fresh), str(po)], check=True)
        with fresh.open("rb") as a, mo.open("rb") as b:
            if gettext.GNUTranslations(a)._catalog != gettext.GNUTranslations(b)._catalog:  # type: ignore[attr-defined]
                return [f"{mo.relative_to(ROOT)} is older than its .po"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    options = parser.parse_args()
    if options.check:
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        if found:
            print(
                f"{len(found)} problem(s). Run `make messages`, translate what it added in "
                "locale/ur/LC_MESSAGES/django.po (or locale/thirdparty/...), and run "
                "`make messages` again to compile.",
                file=sys.stderr,
            )
            return 1
        return 0
    scratch = extracted()
    try:
        shutil.copyfile(catalog(scratch / "locale"), catalog(LOCALE))
    finally:
        shutil.rmtree(scratch)
    for root in (LOCALE, THIRDPARTY):
        if catalog(root).exists():
            compile_catalog(catalog(root))
    return 0


if __name__ == "__main__":
    sys.exit(main())
