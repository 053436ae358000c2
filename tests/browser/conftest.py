"""Browser fixtures: Debian's Chromium driven by Playwright against the portal on a real loopback server.

One Chromium per test module; each test gets a fresh portal (its own database), its own
server thread and a fresh browser context, with JavaScript on ("js") or off ("no-js").
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.journeys import open_context

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
BROWSER_TESTS = Path(__file__).parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test in this folder is marked `browser`, before `-m` selects (`-m "not browser"` leaves them out)."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


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


@pytest.fixture(params=["js", "no-js"])
def js(request):
    """Each journey runs once with JavaScript on and once with it off."""
    return request.param == "js"


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


@pytest.fixture(scope="session")
def galleries(tmp_path_factory):
    """The template gallery (every page and fragment in each of its states, rpp/devtools/gallery) built once
    per run, by language: {"en": (its folder, its states from gallery.json), "es": …}. Its pages open from
    disk with the portal's CSS and JavaScript, so they need no server."""
    outdir = tmp_path_factory.mktemp("gallery")
    built = subprocess.run([sys.executable, "-m", "rpp.devtools.gallery", str(outdir), "--portal-url",
                            "http://127.0.0.1:5000", "--timezone", "America/Chicago", "--no-screenshots"],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    languages = {}
    for language in ("en", "es"):
        with open(outdir / language / "gallery.json", encoding="utf-8") as manifest:
            languages[language] = outdir / language, json.load(manifest)["states"]
    return languages


@pytest.fixture(scope="session")
def gallery(galleries):
    """The English gallery: (its folder, its states)."""
    return galleries["en"]
