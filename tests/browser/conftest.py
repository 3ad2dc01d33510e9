"""Browser tests: real headless Chromium (Debian's package) driven by Playwright.

No browser is ever downloaded: Playwright launches the system executable. Map tiles are off
(no-tile mode), so the pages never reach the internet. Any console error or uncaught page
error fails the test that caused it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls that tests make
# around it are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: install Debian's 'chromium' package "
            "(scripts/test does it when run as root) or set CHROMIUM_PATH."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class ConsoleWatch:
    """Collects console errors. A test that provokes a failure on purpose (a 400 answer, a cut
    network) says so with allow(), naming exactly the message it expects."""

    def __init__(self):
        self.errors: list[str] = []
        self.allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def attach(self, page):
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status} {r.url}"),
        )
        return page

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console():
    return ConsoleWatch()


@pytest.fixture
def new_page(browser, console, live_server):
    """new_page(viewport=..., **context options) -> a page on the live server; closed after."""
    contexts = []

    def make(width: int = 1280, height: int = 900, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=live_server.url,
            locale="fr-FR",
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return console.attach(context.new_page())

    yield make
    for context in contexts:
        context.close()
    assert console.unexpected() == [], f"browser console errors: {console.unexpected()}"


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def login(live_server):
    """login(page, user): the browser gets the session of `user`, as after signing in."""
    from django.conf import settings
    from django.test import Client

    def sign_in(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": cookie.value,
                    "url": live_server.url,
                }
            ]
        )

    return sign_in
