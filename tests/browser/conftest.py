"""Real-browser fixtures: Playwright driving Debian's Chromium (/usr/bin/chromium).

Playwright's own browser download is not used (nor reachable); the sample site
is built once and served from 127.0.0.1 on a free port.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("OCOP_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(sample_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(sample_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A 360 px wide phone screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def _offline(route) -> None:
    """Block everything but the local test server: no map tiles, no network."""
    if route.request.url.startswith(("http://127.0.0.1", "data:")):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def offline_page(browser) -> Iterator[object]:
    """A desktop page that can reach only 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.route("**/*", _offline)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def no_js_page(browser) -> Iterator[object]:
    """A 360 px phone with JavaScript off and no network."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN",
                                  java_script_enabled=False)
    context.route("**/*", _offline)
    page = context.new_page()
    yield page
    context.close()
