"""Sessions that end when nobody is there, in Chromium: the warning before the end (announced, keyboard-
focusable), Stay signed in, and the sign-in page afterwards. A short idle limit keeps the test short; every
wait is on a condition (the dialog's state, the server's own deadline), never a sleep."""
import pytest
from playwright.sync_api import expect

from rpp.messages import text
from rpp.models import LoginSession
from tests.browser.journeys import button, heading, says, sign_in, sign_in_to_home, textbox
from tests.helpers import make_account, producer_code, with_two_step

IDLE_MINUTES = 0.3  # 18 s: the page warns about 7 s after its last request


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


@pytest.mark.settings(SIGN_IN_STEP_MINUTES=1)
def test_the_verification_code_step_says_its_limit_and_gives_more_time_once(app, js_page):
    page = js_page
    make_account(app)
    with_two_step(app)
    sign_in(page)
    expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
    expect(says(page, text("two_step.time_limit", minutes=1))).to_be_visible()
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible()  # a 30-second step is all "last minute"
    more = page.get_by_role("button", name=text("two_step.more_time"))
    expect(more).to_be_focused()
    more.press("Enter")
    # Once given, the button goes (a 1-minute period is all "last minute": the warning stays, without it).
    expect(more).to_be_hidden()
    expect(warning).to_be_visible()
    with app.app_context():
        from rpp.models import SignInChallenge
        pending = SignInChallenge.get()
        assert (pending.expires_at - pending.created_at).total_seconds() > 60
    textbox(page, "Verification Code").fill(producer_code(app))
    button(page, "Verify").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
