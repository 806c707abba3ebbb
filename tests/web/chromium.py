"""What every browser test shares: Debian's Chromium (never a downloaded browser), the flags
that keep it off the closed network, and a Playwright browser per test."""

import os
import shutil
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in another. Django's guard against ORM calls from async code must step aside.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

# Marks for a module of browser tests: a live server with real transactions, and a clear skip
# where Chromium is missing (make test installs it).
BROWSER_TESTS = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian's chromium is not installed (make test installs it)"),
]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()
        # Django keeps a connection per context, and the test ran inside Playwright's: close
        # the ones opened there, or PostgreSQL keeps their sessions and refuses to drop the
        # test database at the end of the run.
        connections.close_all()
