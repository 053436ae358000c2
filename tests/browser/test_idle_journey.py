"""Sessions that end when nobody is there, in Chromium: the warning before the end (announced, keyboard-
focusable), Stay signed in, and the sign-in page afterwards. A short idle limit keeps the test short; every
wait is on a condition (the dialog's state, the server's own deadline), never a sleep."""
import pytest
from playwright.sync_api import expect

from rpp.messages import text
from rpp.models import LoginSession
from tests.browser.journeys import heading, says, sign_in_to_home
from tests.helpers import make_account

IDLE_MINUTES = 0.2  # 12 s: the page warns about 5 s after its last request


@pytest.mark.settings(SESSION_IDLE_MINUTES=IDLE_MINUTES)
def test_the_idle_warning_keeps_or_ends_the_session(app, js_page):
    page = js_page
    make_account(app)
    sign_in_to_home(page)
    with app.app_context():
        signed_in_at = LoginSession.get().last_active_at

    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=20_000)
    stay = page.get_by_role("button", name=text("idle.stay"))
    expect(stay).to_be_focused()
    stay.press("Enter")  # by keyboard
    expect(warning).to_be_hidden()
    with app.app_context():
        extended_at = LoginSession.get().last_active_at
    assert extended_at > signed_in_at

    # Nobody there now: the page says the session ended ...
    expect(warning.get_by_text(text("idle.ended"))).to_be_visible(timeout=20_000)
    # ... and once the portal's own limit has passed, the next page is the sign-in page saying why.
    deadline = (extended_at.timestamp() + IDLE_MINUTES * 60 + 1) * 1000
    page.wait_for_function("deadline => Date.now() > deadline", arg=deadline - utc_offset_ms(extended_at),
                           timeout=20_000)
    page.get_by_role("link", name="Login").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()
    expect(says(page, "You were logged out after")).to_be_visible()


def utc_offset_ms(naive_utc):
    """The stored times are naive UTC; datetime.timestamp() reads a naive time as local time."""
    return naive_utc.astimezone().utcoffset().total_seconds() * 1000
