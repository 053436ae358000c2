"""Lightweight browsers: `w3m -dump` shows every label, button, heading and message of the pages.

The expected words come from the page's own HTML (every label, legend, button, heading, paragraph,
list item, table cell and link), so a template that hides text from a text browser fails here.
w3m must be installed (scripts/test installs it with apt-get); a missing w3m fails, never skips.
"""
import html.parser
import shutil
import subprocess

import pytest

from tests.helpers import LOCKED, MISMATCH, STAFF_PASSWORD, login, make_account, registration_form

TEXT_ELEMENTS = {"label", "legend", "button", "summary", "h1", "h2", "h3", "p", "li", "dt", "dd", "th",
                 "td", "a", "caption"}


class PageText(html.parser.HTMLParser):
    """The text of each text element in the body (select options and scripts excluded)."""

    def __init__(self):
        super().__init__()
        self.open = []     # [tag, words] of the text elements being read
        self.skip = 0      # inside <select>, <script>, <style>
        self.texts = []

    def handle_starttag(self, tag, attrs):
        if tag in ("select", "script", "style", "title"):
            self.skip += 1
        elif tag == "br":
            self.handle_data(" ")
        elif tag in TEXT_ELEMENTS:
            self.open.append([tag, []])

    def handle_endtag(self, tag):
        if tag in ("select", "script", "style", "title"):
            self.skip -= 1
        elif tag in TEXT_ELEMENTS and self.open and self.open[-1][0] == tag:
            text = " ".join("".join(self.open.pop()[1]).split())
            if text:
                self.texts.append(text)

    def handle_data(self, data):
        if not self.skip:
            for element in self.open:
                element[1].append(data)


def texts_of(body):
    parser = PageText()
    parser.feed(body)
    return parser.texts


def w3m_dump(body, columns=300):
    """What w3m shows for this HTML: wide enough that table rows are not wrapped."""
    assert shutil.which("w3m"), "w3m is missing: apt-get install w3m (scripts/test does it as root)"
    dump = subprocess.run(["w3m", "-dump", "-T", "text/html", "-cols", str(columns), "-I", "UTF-8",
                           "-O", "UTF-8"], input=body.encode(), capture_output=True, check=True, timeout=30)
    return dump.stdout.decode()


def assert_readable(response, *must_show):
    """Every text of the page, and the words the guide asks for, appear in w3m's dump."""
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    shown = " ".join(w3m_dump(body).split())
    missing = [text for text in texts_of(body) + list(must_show) if text not in shown]
    assert not missing, f"not shown by w3m: {missing}\n--- dump ---\n{w3m_dump(body)}"
    return shown


SIGN_IN = ("Please Sign-In", "User Name", "Password", "Login", "Register", "Forgot User Name?",
           "Reset Password?", "Welcome to the Retail Producer Portal.", "Menu", "Contact Us",
           "BlueCross BlueShield of Illinois", "BlueCross BlueShield of Texas")


def test_sign_in_page_in_w3m(portal):
    assert_readable(portal.get("/"), *SIGN_IN)


def test_sign_in_messages_in_w3m(app, portal):
    make_account(app)
    assert_readable(login(portal, password="wrong1"), *SIGN_IN, MISMATCH)
    login(portal, password="wrong2")
    assert_readable(login(portal, password="wrong3"), *SIGN_IN, LOCKED)


REGISTRATION = ("Registration", "First Name *", "Last Name *", "User Name *", "Password *", "Confirm Password *",
                "Note: User Name and Password are case sensitive.", "Please do NOT register more than one time.",
                "Register for Illinois", "Register for Montana", "Register for New Mexico",
                "Register for Oklahoma", "Register for Texas", "Company Name", "Address 1 *", "Address 2",
                "City *", "State *", "Zip Code *", "Agent Unique ID *", "Phone *", "E-mail Address *",
                "Please enter the 9 digit identification number you were provided at the time of licensing by "
                "Producer Administration.", "* Denotes a required field.", "Continue")


def test_registration_page_in_w3m(portal):
    assert_readable(portal.get("/register"), *REGISTRATION)


def test_registration_errors_in_w3m(portal):
    response = portal.post("/register", registration_form(confirm_password="abc124", **{"TX-zip_code": "1"}))
    shown = assert_readable(response, *REGISTRATION, "There is a problem")
    assert shown.count("Confirm Password must match Password.") == 2  # in the summary and beside the field


def test_no_state_selected_in_w3m(portal):
    form = {key: value for key, value in registration_form().items() if not key.startswith("TX-")}
    assert_readable(portal.post("/register", form),
                    "Please select at least one Blue Cross and Blue Shield (BCBS) state")


def test_confirmation_and_submitted_pages_in_w3m(portal):
    portal.post("/register", registration_form(states=("TX", "IL")))
    shown = assert_readable(portal.get("/register/confirm"), "Print this page for your records.",
                            "User Name: jessicacamp", "First Name: Jessica", "Last Name: Camp",
                            "Confirm Texas Registration Information", "Confirm Illinois Registration Information",
                            "Agent Unique ID: 999999999", "Phone: 8155551212",
                            "E-mail Address: testproducer@gmail.com", "Edit", "Submit Registration")
    assert "bcbs4tx9" not in shown
    portal.post("/register/submit")
    assert_readable(portal.get("/register/submitted"), "Registration Information Submitted",
                    "Thank you, your registration information has been submitted. You will receive an e-mail "
                    "confirming your activation within 1 business day.", "Back to Login Page")


def test_contact_us_page_in_w3m(portal):
    assert_readable(portal.get("/contact-us"), "Contact Us", "Major Medical", "(888) 313-5526",
                    "(855) 454-7109", "Medicare Supplement (Legacy)", "(800) 538-0382 prior to May 1, 2019",
                    "Medicare Advantage (MAPD)", "(877) 774-8592", "State Farm Agents Only", "(844) 250-8201")


@pytest.mark.parametrize("path, words", [
    ("/forgot-user-name", ("Forgot User Name?", "Agent Unique ID *", "E-mail Address *", "Submit")),
    ("/reset-password", ("Reset Password?", "User Name *", "E-mail Address", "Agent Unique ID", "Submit")),
])
def test_recovery_pages_in_w3m(portal, path, words):
    assert_readable(portal.get(path), *words)
    assert_readable(portal.post(path, {}), *words, "There is a problem")


def test_the_check_notices_text_a_text_browser_would_not_show():
    """A paragraph only CSS generated content would show is reported missing."""
    body = "<html><body><main><p>Shown</p><p><img alt='' src='x.png'></p><label>Name</label></main></body></html>"
    assert texts_of(body) == ["Shown", "Name"]
    shown = " ".join(w3m_dump(body).split())
    assert "Shown" in shown and "Name" in shown


def test_two_step_pages_in_w3m(app, portal):
    import re

    import pyotp
    make_account(app)
    login(portal)
    setup = portal.get("/account/two-step/set-up")
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', setup.get_data(as_text=True)).group(1)
    assert_readable(setup, "Set Up Two-Step Verification", key, "Verification Code *", "Verify")
    portal.post("/account/two-step/set-up", {"code": pyotp.TOTP(key.replace(" ", "")).now()})
    codes = portal.get("/account/two-step/recovery-codes")
    code = re.search(r"<li><code>([A-Z2-9-]{11})</code></li>", codes.get_data(as_text=True)).group(1)
    assert_readable(codes, "Save Your Recovery Codes", code, "Back to Profile Page")
    assert_readable(portal.get("/account/profile"), "Two-Step Verification", "Get New Recovery Codes",
                    "Turn Off Two-Step Verification", "Where You’re Signed In")
    portal.post("/logout")
    login(portal)
    assert_readable(portal.get("/login/verify"), "Two-Step Verification", "Verification Code *", "Verify")


def test_staff_two_step_pages_in_w3m(app, runner, portal):
    import re

    import pyotp
    runner.invoke(args=["staff", "create", "dana", "--password", STAFF_PASSWORD])
    portal.post("/staff/login", {"user_name": "dana", "password": STAFF_PASSWORD})
    setup = portal.get("/staff/two-step/set-up")
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', setup.get_data(as_text=True)).group(1)
    assert_readable(setup, "Set Up Two-Step Verification", key, "Verification Code *", "Verify")
    portal.post("/staff/two-step/set-up", {"code": pyotp.TOTP(key.replace(" ", "")).now()})
    codes = portal.get("/staff/two-step/recovery-codes")
    code = re.search(r"<li><code>([A-Z2-9-]{11})</code></li>", codes.get_data(as_text=True)).group(1)
    assert_readable(codes, "Save Your Recovery Codes", code, "Continue to the Console")
    portal.post("/staff/logout")
    portal.post("/staff/login", {"user_name": "dana", "password": STAFF_PASSWORD})
    assert_readable(portal.get("/staff/login/verify"), "Two-Step Verification", "Verification Code *", "Verify")
