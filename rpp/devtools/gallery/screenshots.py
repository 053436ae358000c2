"""A PNG of each gallery file, taken by Debian's Chromium through Playwright (the `test` extra)."""
import os
from urllib.parse import quote

import click

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]


def take_screenshots(outdir, slugs):
    """A full-page PNG of each file, in Debian's Chromium; nothing when Chromium or Playwright is missing."""
    if not os.path.exists(CHROMIUM):
        click.echo(f"No screenshots: {CHROMIUM} is not installed.")
        return set()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        click.echo("No screenshots: Playwright is not installed (pip install -e '.[test]').")
        return set()
    taken = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        for slug in slugs:
            page.goto("file://" + quote(os.path.abspath(os.path.join(outdir, f"{slug}.html"))))
            page.screenshot(path=os.path.join(outdir, f"{slug}.png"), full_page=True)
            taken.add(slug)
        browser.close()
    return taken
