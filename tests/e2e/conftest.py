"""Browser tests: real Chromium (the system's, no downloaded browser) through
Playwright, against Django's live server on a real PostgreSQL database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made
# by the test itself (setup and assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError(
            "Chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (own cookies) per persona; fail the test on any
    console error or script dialog, which would mean a broken page or injected script."""
    contexts = []
    problems: list[str] = []

    def make(width: int = 1280, height: int = 900, locale: str | None = None):
        # `locale`: the browser's language, sent as Accept-Language ("ur": the Urdu
        # interface, as a phone set to Urdu gets it).
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=live_server.url,
            **({"locale": locale} if locale else {}),
        )
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == [], problems


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, email: str, password: str = "correct horse battery") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
