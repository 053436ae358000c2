"""What a producer does in the browser, step by step, found by label and role as a person would."""
import re
import time

import pyotp
from playwright.sync_api import expect

from rpp import clock
from rpp.messages import text
from rpp.models import Account, OutboxMessage, StateRegistration
from rpp.states import BCBS_STATES as STATE_NAMES
from tests.helpers import AGENT_IDS, STAFF_PASSWORD, staff_code

TEMPORARY_PASSWORD = re.compile(r"Your temporary password is: ([A-Za-z0-9]+)\.")
# Playwright waits this long (ms) for an element or a navigation before the test fails.
TIMEOUT_MS = 10_000
MISMATCH = text("sign_in.mismatch")
LOCKED = text("sign_in.locked")


def open_context(browser, live_server, js=True):
    """A fresh browser profile (no cookies, no cache) pointed at the live portal."""
    context = browser.new_context(base_url=live_server, java_script_enabled=js,
                                  viewport={"width": 1024, "height": 800})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def textbox(scope, name):
    """A text input by its accessible name (the label without the red asterisk)."""
    return scope.get_by_role("textbox", name=name, exact=True)


def password_input(scope, label):
    """A password input (no ARIA role) by the start of its visible label, e.g. "Password *"."""
    return scope.get_by_label(re.compile("^" + re.escape(label) + r"\b"))


def heading(page, name, level=None):
    return page.get_by_role("heading", name=name, exact=True, level=level)


def button(page, name):
    return page.get_by_role("button", name=name, exact=True)


def link(page, name):
    return page.get_by_role("link", name=name, exact=True)


def state_group(page, code):
    """The fieldset whose legend names the BCBS state."""
    return page.get_by_role("group", name=STATE_NAMES[code], exact=True)


def settle(page):
    """Leave the field being typed in, as a producer moving on does (with JavaScript on, its check goes
    out), and wait until htmx has answered every check and swapped it in. Nothing then moves under the
    next click: an error appearing above a checkbox or button while it is clicked makes the click miss."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)


def submit(page, button_name):
    """Press a form's button and wait for the answer: a new page, or (htmx) the form swapped for it."""
    pressed = button(page, button_name)
    pressed.evaluate("button => button.form.setAttribute('data-waiting-for-answer', '')")
    pressed.click()
    expect(page.locator("form[data-waiting-for-answer]")).to_have_count(0)


def fill_account(page, first_name="Jessica", last_name="Camp", user_name="jessicacamp",
                 password="bcbs4tx9", confirm=None):
    """Select a User Name and Password."""
    textbox(page, "First Name").fill(first_name)
    textbox(page, "Last Name").fill(last_name)
    textbox(page, "User Name").fill(user_name)
    fill_passwords(page, password, confirm)


def fill_passwords(page, password="bcbs4tx9", confirm=None):
    password_input(page, "Password").fill(password)
    password_input(page, "Confirm Password").fill(password if confirm is None else confirm)
    settle(page)


def fill_state(page, code, agent_id=None, company_name="Producer Name Company", address_1="123 Test St",
               city="Testville", zip_code="99999", phone="(815) 555-1212", email="testproducer@gmail.com"):
    """Register for <State>: tick the box, then the state's required fields."""
    settle(page)
    page.get_by_role("checkbox", name=f"Register for {STATE_NAMES[code]}", exact=True).check()
    group = state_group(page, code)
    textbox(group, "Company Name").fill(company_name)
    textbox(group, "Address 1").fill(address_1)
    textbox(group, "City").fill(city)
    textbox(group, "Zip Code").fill(zip_code)
    textbox(group, "Agent Unique ID").fill(agent_id or AGENT_IDS[code])
    textbox(group, "Phone").fill(phone)
    textbox(group, "E-mail Address").fill(email)
    settle(page)


def register(page, user_name="jessicacamp", password="bcbs4tx9", states=("TX",)):
    """Register for the Portal from the sign-in page: form → Continue → Submit Registration."""
    page.goto("/")
    link(page, "Register").click()
    expect(heading(page, "Registration", 1)).to_be_visible()
    fill_account(page, user_name=user_name, password=password)
    for code in states:
        fill_state(page, code)
    button(page, "Continue").click()
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()


def activate(app, user_name="jessicacamp"):
    """Producer Services runs `flask registrations activate USERNAME`."""
    result = app.test_cli_runner().invoke(args=["registrations", "activate", user_name])
    assert result.exit_code == 0, result.output
    return result.output


def sign_in(page, user_name="jessicacamp", password="bcbs4tx9"):
    """Log In to the Portal from the sign-in page, and wait for the answer (so no attempt is lost to the
    next page load)."""
    page.goto("/")
    textbox(page, "User Name").fill(user_name)
    password_input(page, "Password").fill(password)
    submit(page, "Login")


def sign_in_to_home(page, user_name="jessicacamp", password="bcbs4tx9"):
    """Log in and wait for the home page (one active state, so no state to select)."""
    sign_in(page, user_name, password)
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()


def lose_the_session(page):
    """The session cookie goes (it expired, or the browser dropped it), once the page has loaded what it
    loads by itself (the passkey button): no answer still on its way can bring the cookie back."""
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()


def console_sign_in(app, page, user_name="alice", password=STAFF_PASSWORD):
    """Producer Services signs in to the console: User Name, Password, Login, then the Verification Code
    their authenticator app shows (every staff user has two-step), and waits for the queue."""
    page.goto("/staff/login")
    textbox(page, "User Name").fill(user_name)
    password_input(page, "Password").fill(password)
    button(page, "Login").click()
    expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
    textbox(page, "Verification Code").fill(staff_code(app, user_name))
    button(page, "Verify").click()
    expect(heading(page, "Registrations", 1)).to_be_visible()


def complete_two_step_setup(page):
    """On Set Up Two-Step Verification: the QR code answers, a wrong code is refused beside the field, the
    code of the setup key is right; returns (the setup key, the recovery codes Save Your Recovery Codes shows)."""
    expect(heading(page, "Set Up Two-Step Verification", 1)).to_be_visible()
    qr = page.get_by_role("img", name=re.compile("QR code for your authenticator app"))
    expect(qr).to_be_visible()
    # The QR code's own URL answers this signed-in browser with the SVG (same cookies as the page).
    answer = page.context.request.get(qr.get_attribute("src"))
    assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg+xml")
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    textbox(page, "Verification Code").fill("000000")
    button(page, "Verify").click()
    expect(page.get_by_role("main").get_by_text("That Verification Code is not correct.").first).to_be_visible()
    textbox(page, "Verification Code").fill(pyotp.TOTP(key).now())
    button(page, "Verify").click()
    expect(heading(page, "Save Your Recovery Codes", 1)).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    return key, codes


def says(page, text):
    """Text in the page's main content (the visually hidden announcer repeats some of it)."""
    return page.get_by_role("main").get_by_text(text)


def open_menu(page, name):
    """Open the "Menu" or "Account" drop-down (a <details>, so it works without JavaScript)."""
    page.locator("summary", has_text=re.compile(f"^{name}$")).click()


def accounts(app):
    with app.app_context():
        return list(Account.select().order_by(Account.id))


def registrations(app):
    with app.app_context():
        return {(r.account.user_name, r.state): r.status for r in StateRegistration.select()}


def wait_for_mail(app, outbox, subject):
    """E-mails go out after the response, from the server thread: wait (as long as Playwright waits for
    an element) for the one with this subject; if it never comes, say what the outbox table holds."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        found = [message for message in outbox if message.subject == subject]
        if found:
            return found[-1]
        time.sleep(0.02)  # the poll interval of this condition wait
    with app.app_context():
        queued = [(m.subject, m.sent_at, m.attempts, m.last_error) for m in OutboxMessage.select()]
    raise AssertionError(f"no e-mail {subject!r}; sent: {[message.subject for message in outbox]}; "
                         f"outbox table (subject, sent_at, attempts, last_error): {queued}")


def failed_email(user_name="jessicacamp"):
    """An e-mail about this producer that the mail server refused for good."""
    return OutboxMessage.create(account=Account.get(Account.user_name == user_name),
                                recipient="testproducer@gmail.com",
                                subject="Retail Producer Portal E-mail Address Changed",
                                body_text="Your e-mail address was changed.", attempts=3, failed_at=clock.utcnow(),
                                next_attempt_at=None, last_error="550 5.1.1 Mailbox unavailable")
