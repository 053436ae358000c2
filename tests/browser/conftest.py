"""Browser fixtures: Debian's Chromium driven by Playwright against the portal on a real loopback server.

One Chromium per test module; each test gets a fresh portal (its own database), its own
server thread and a fresh browser context, with JavaScript on ("js") or off ("no-js").
"""
import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
# Playwright waits this long (ms) for an element or a navigation before the test fails.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (scripts/test installs it); never a downloaded browser. One per test module:
    Playwright's sync API allows one instance at a time, and the gallery's screenshots start their own."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/test does it as root).")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The portal on 127.0.0.1 and a free port, served by werkzeug in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(params=["js", "no-js"])
def js(request):
    """Each journey runs once with JavaScript on and once with it off."""
    return request.param == "js"


def open_context(browser, live_server, js=True):
    """A fresh browser profile (no cookies, no cache) pointed at the live portal."""
    context = browser.new_context(base_url=live_server, java_script_enabled=js,
                                  viewport={"width": 1024, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser, live_server, js):
    context = open_context(browser, live_server, js)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def js_page(browser, live_server):
    """A page with JavaScript on, for what only htmx does (swaps, focus, announcements)."""
    context = open_context(browser, live_server, js=True)
    yield context.new_page()
    context.close()
