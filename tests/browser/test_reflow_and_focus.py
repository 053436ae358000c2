"""WCAG 2.2 AA where axe cannot look: the focus indicator's contrast (1.4.11), the header's menus at every
width and zoom (1.4.10, 1.4.4, 2.1.1, 1.3.1), and the console's tables at 320 px (1.4.10).

These open the template gallery's files (every page in each state, built once per run by the `gallery`
fixture) at the widths a phone, a tablet and a 1280 px window at 200 % and 400 % zoom give.
"""
import re

import pytest
from playwright.sync_api import expect

# A 1280 px window at 200 % zoom lays pages out at 640 CSS px, at 400 % at 320.
MENU_WIDTHS = (320, 375, 600, 640, 1280)
FOCUSABLE = ('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex="0"]')

# For the focused element: its outline and the colours just outside it, where the ring meets the page.
RING = """element => {
    const style = getComputedStyle(element);
    const width = parseFloat(style.outlineWidth), offset = parseFloat(style.outlineOffset);
    const box = element.getBoundingClientRect(), gap = Math.max(offset + width, 0) + 1;
    const behind = (x, y) => {
        for (const under of document.elementsFromPoint(x, y)) {
            if (under === element || element.contains(under)) { continue; }
            const colour = getComputedStyle(under).backgroundColor;
            if (!/rgba\\(.*, 0\\)$/.test(colour) && colour !== "transparent") { return colour; }
        }
        return getComputedStyle(document.documentElement).backgroundColor;
    };
    return {style: style.outlineStyle, width, colour: style.outlineColor,
            around: [behind(box.left - gap, box.top + box.height / 2),
                     behind(box.left + box.width / 2, box.top - gap)]};
}"""


def luminance(colour):
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_measured_as_wcag_defines_it():
    assert round(contrast("rgb(255, 191, 71)", "rgb(255, 255, 255)"), 2) == 1.64  # the audit's old ring
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0


@pytest.fixture
def gallery_page(browser, gallery):
    """Opens a gallery state (by slug) at a width, JavaScript on."""
    outdir, _ = gallery
    contexts = []

    def open_state(slug, width=1280, js=True):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=js)
        contexts.append(context)
        page = context.new_page()
        page.goto((outdir / f"{slug}.html").as_uri())
        return page
    yield open_state
    for context in contexts:
        context.close()


def weak_rings(page, scope="body"):
    """Every visible focusable element in scope whose focus ring is missing or under 3:1 where it meets the page."""
    weak = []
    for element in page.locator(scope).locator(FOCUSABLE).all():
        if not element.is_visible():
            continue
        element.focus()
        ring = element.evaluate(RING)
        ratio = min(contrast(ring["colour"], colour) for colour in ring["around"])
        if ring["style"] == "none" or ring["width"] < 2 or ratio < 3:
            weak.append(f"{element.evaluate('e => e.outerHTML.slice(0, 80)')}: {ring} {ratio:.2f}:1")
    return weak


@pytest.mark.parametrize("slug", ["sign-in", "home", "registration-errors", "edit-profile", "two-step-set-up",
                                  "staff-queue", "staff-account", "staff-users"])
def test_the_focus_ring_has_3_to_1_against_what_it_sits_on(gallery_page, slug):
    """Links, buttons, fields, checkboxes, menu toggles and table regions, producer pages and console alike
    (1.4.11): the ring's colour against the background just outside it, read from the computed styles."""
    page = gallery_page(slug)
    weak = weak_rings(page)
    for menu in page.locator("details.menu").all():
        menu.locator("summary").click()
        weak += weak_rings(page, "details.menu[open] ul")
        menu.locator("summary").click()
    page.set_viewport_size({"width": 320, "height": 800})  # the tables scroll inside their regions
    weak += weak_rings(page, '[role=region]')
    assert not weak, "\n".join(weak)


def toggle_names(page):
    """The accessible names Chromium gives the menu toggles (<summary>)."""
    nodes = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    return [node["name"]["value"] for node in nodes if node.get("role", {}).get("value") == "DisclosureTriangle"]


@pytest.mark.parametrize("width", MENU_WIDTHS)
@pytest.mark.parametrize("slug", ["sign-in", "home"])
def test_open_menus_lie_inside_the_viewport(gallery_page, slug, width):
    page = gallery_page(slug, width)
    assert toggle_names(page) == ["Menu", "Account"]
    for name, first_item in (("Menu", "Home"), ("Account", "Edit Profile" if slug == "home" else "Login")):
        toggle = page.locator("summary", has_text=re.compile(f"^{name}$"))
        toggle.focus()
        page.keyboard.press("Enter")
        menu = page.locator("details.menu[open] ul")
        expect(menu.get_by_role("link", name=first_item)).to_be_visible()
        for item in [menu, *menu.locator("a, button").all()]:
            box = item.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} at {width} px: {box}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.keyboard.press("Escape")
        expect(page.locator("details.menu[open]")).to_have_count(0)
        expect(toggle).to_be_focused()


@pytest.mark.parametrize("width", (320, 375))
@pytest.mark.parametrize("slug", ["sign-in", "home"])
def test_the_header_is_at_most_120_px_tall_on_a_phone(gallery_page, slug, width):
    page = gallery_page(slug, width)
    assert page.locator(".site-header").bounding_box()["height"] <= 120


@pytest.mark.parametrize("width", (320, 375))
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_language_link_and_the_portal_s_name_do_not_overlap_on_a_phone(browser, galleries, language, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto((galleries[language][0] / "sign-in.html").as_uri())
    name, link = (page.locator(selector).bounding_box() for selector in (".portal-name a", ".language a"))
    apart = name["x"] + name["width"] <= link["x"] or name["y"] + name["height"] <= link["y"]
    context.close()
    assert apart, (name, link)


def test_menus_close_when_focus_leaves_or_a_click_lands_outside(gallery_page):
    page = gallery_page("home", 375)
    toggle = page.locator("summary", has_text=re.compile("^Menu$"))
    toggle.click()
    expect(page.get_by_role("link", name="Contact Us")).to_be_visible()
    for _ in ("Menu", "Home", "Contact Us"):  # Tab from the toggle through both items and out
        page.keyboard.press("Tab")
    expect(page.locator("details.menu[open]")).to_have_count(0)
    toggle.click()
    page.locator(".site-footer").click()
    expect(page.locator("details.menu[open]")).to_have_count(0)
    toggle.click()
    page.locator("summary", has_text=re.compile("^Account$")).click()  # opening the other closes this one
    expect(page.locator("details.menu[open] summary")).to_have_text("Account")


def test_menus_open_and_close_without_javascript(gallery_page):
    page = gallery_page("sign-in", 320, js=False)
    toggle = page.locator("summary", has_text=re.compile("^Menu$"))
    toggle.click()
    expect(page.get_by_role("link", name="Contact Us")).to_be_visible()
    toggle.click()
    expect(page.get_by_role("link", name="Contact Us")).to_be_hidden()


@pytest.mark.parametrize("slug", ["staff-queue", "staff-queue-select-all", "staff-bulk-results", "staff-search-results",
                                  "staff-users", "staff-account", "staff-failed-mail", "home"])
def test_tables_at_320_px_scroll_inside_a_named_focusable_region(gallery_page, slug):
    """No sideways scrolling of the page, no column narrower than its content: a table wider than the
    screen scrolls inside its region, which the keyboard reaches and a screen reader names."""
    page = gallery_page(slug, 320)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    wraps = page.locator(".table-wrap")
    assert wraps.count()
    for wrap in wraps.all():
        expect(wrap).to_have_attribute("tabindex", "0")
        expect(wrap).to_have_attribute("role", "region")
        expect(wrap).to_have_attribute("aria-label", re.compile(r"\w+ table$"))
        for cell in wrap.locator("th, td").all():
            assert cell.evaluate("cell => cell.scrollWidth <= cell.clientWidth + 1"), cell.inner_text()


def test_the_queue_shows_submitted_and_due_times_as_text(gallery_page):
    page = gallery_page("staff-queue", 320)
    wait = page.locator("td.wait").first
    expect(wait).to_contain_text(re.compile(r"Submitted \w{3} \d+, \d{4} \d+:\d\d [AP]M; due \w{3} \d+, \d{4}"))
