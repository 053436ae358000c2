"""Two-step verification is required for staff: the first sign-in sets it up before anything else in the
console, every later sign-in asks for the Verification Code, and an admin resets a staff user's two-step."""
import re
from datetime import timedelta

import pyotp
import pytest

from rpp import clock
from rpp.models import SecurityEvent, StaffSession, StaffUser, TwoStep
from rpp.twostep import crypto
from tests.helpers import (
    STAFF_LOCKED,
    STAFF_PASSWORD,
    Portal,
    add_staff_user,
    redirect_target,
    set_up_two_step,
    staff_code,
    staff_login,
    visible,
)

WRONG_CODE = ("That Verification Code is not correct. Please enter the 6-digit code your app shows now, or one "
              "of your recovery codes.")
VERIFY = "/staff/login/verify"
SET_UP = "/staff/two-step/set-up"


def password_step(portal, user_name="alice", password=STAFF_PASSWORD, **kwargs):
    """Only the first step: User Name and Password → Login."""
    return portal.post("/staff/login", {"user_name": user_name, "password": password}, **kwargs)


def kinds(prefix="staff"):
    return [e.kind for e in SecurityEvent.select().where(SecurityEvent.kind.startswith(prefix))
            .order_by(SecurityEvent.id)]


@pytest.fixture
def newcomer(app, runner):
    """dana, created with `flask staff create`: she has never signed in, so has no two-step yet."""
    runner.invoke(args=["staff", "create", "dana", "--password", STAFF_PASSWORD])
    return Portal(app.test_client())


@pytest.fixture
def enrolled(app, newcomer):
    """dana after setting up two-step through the console's pages, signed out: (secret, recovery codes)."""
    password_step(newcomer, "dana")
    secret, codes = set_up_two_step(newcomer, "/staff/two-step")
    newcomer.post("/staff/logout")
    return secret, codes


# The first sign-in sets two-step up.

def test_first_staff_sign_in_sets_up_two_step_before_reaching_the_queue(app, newcomer):
    response = password_step(newcomer, "dana")
    assert response.status_code == 303 and response.headers["Location"] == SET_UP
    for path in ("/staff/", "/staff/producers?q=camp", "/staff/users", "/staff/password"):
        assert newcomer.get(path).headers["Location"] == SET_UP, path
    page = newcomer.get(SET_UP)
    seen = visible(page)
    assert "Set Up Two-Step Verification" in seen and "Verification Code" in seen and "Verify" in seen
    assert "Every Producer Services staff user signs in with two-step verification." in seen
    assert "Back to Profile Page" not in seen
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page.get_data(as_text=True)).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key)  # groups of four, for typing
    qr = newcomer.get("/staff/two-step/qr-code.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and qr.headers["Cache-Control"] == "no-store"
    assert 'src="/staff/two-step/qr-code.svg"' in page.get_data(as_text=True)
    with app.app_context():
        stored = TwoStep.get().secret
        assert key.replace(" ", "") not in stored and crypto.decrypt(stored) == key.replace(" ", "")


def test_a_wrong_code_at_staff_set_up_is_refused_beside_the_field(app, newcomer):
    password_step(newcomer, "dana")
    newcomer.get(SET_UP)
    response = newcomer.post(SET_UP, {"code": "000000"})
    assert response.status_code == 200
    assert "That Verification Code is not correct." in visible(response)
    assert 'id="code-error"' in response.get_data(as_text=True)
    assert newcomer.get("/staff/").headers["Location"] == SET_UP
    htmx = newcomer.post(SET_UP, {"code": "12"}, htmx=True)
    assert htmx.status_code == 200 and "<html" not in htmx.get_data(as_text=True)


def test_a_right_code_shows_the_recovery_codes_once_then_opens_the_console(app, newcomer):
    password_step(newcomer, "dana")
    _, codes = set_up_two_step(newcomer, "/staff/two-step")
    assert len(codes) == 10 and len(set(codes)) == 10
    again = newcomer.get("/staff/two-step/recovery-codes")
    assert again.status_code == 302 and again.headers["Location"] == "/staff/"  # shown once
    assert newcomer.get("/staff/").status_code == 200
    assert newcomer.get(SET_UP).headers["Location"] == "/staff/"  # set up already
    assert newcomer.get("/staff/two-step/qr-code.svg").status_code == 404
    event = SecurityEvent.get(SecurityEvent.kind == "staff two-step turned on")
    assert event.detail == "staff user dana" and event.account is None


def test_save_your_recovery_codes_leads_on_to_the_console(newcomer):
    password_step(newcomer, "dana")
    page = newcomer.get(SET_UP).get_data(as_text=True)
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    newcomer.post(SET_UP, {"code": pyotp.TOTP(secret).now()})
    codes_page = newcomer.get("/staff/two-step/recovery-codes")
    seen = visible(codes_page)
    assert "Save Your Recovery Codes" in seen and "Continue to the Console" in seen
    assert 'href="/staff/"' in codes_page.get_data(as_text=True)


def test_an_initial_password_is_changed_first_then_two_step_is_set_up(app, console):
    console.post("/staff/users", {"user_name": "erin", "role": "clerk", "password": STAFF_PASSWORD})
    erin = Portal(app.test_client())
    assert password_step(erin, "erin").headers["Location"] == "/staff/password"
    assert erin.get(SET_UP).headers["Location"] == "/staff/password"
    erin.post("/staff/password", {"current_password": STAFF_PASSWORD, "new_password": STAFF_PASSWORD + "!",
                                  "confirm_password": STAFF_PASSWORD + "!"})
    assert erin.get("/staff/").headers["Location"] == SET_UP
    assert "Your password has been updated." in visible(erin.get(SET_UP))


# Every later sign-in asks for the Verification Code.

def test_staff_sign_in_asks_for_the_verification_code_on_its_own_step(app, portal, staff_user):
    response = password_step(portal)
    assert response.status_code == 303 and response.headers["Location"] == VERIFY
    page = visible(portal.get(VERIFY))
    assert "Two-Step Verification" in page and "Verification Code" in page and "Verify" in page
    assert "ask a console administrator to reset your two-step verification" in page
    assert portal.get("/staff/").headers["Location"] == VERIFY  # not signed in yet: only the next step answers
    done = portal.post(VERIFY, {"code": staff_code(app)})
    assert done.status_code == 303 and done.headers["Location"] == "/staff/"
    assert portal.get("/staff/").status_code == 200
    assert kinds() == ["staff user created", "staff login"]


def test_staff_verification_with_htmx_swaps_the_error_in_place(app, portal, staff_user):
    assert redirect_target(password_step(portal, htmx=True)) == VERIFY
    wrong = portal.post(VERIFY, {"code": "12"}, htmx=True)
    assert wrong.status_code == 200 and "<html" not in wrong.get_data(as_text=True)
    assert WRONG_CODE in visible(wrong)
    right = portal.post(VERIFY, {"code": staff_code(app)}, htmx=True)
    assert right.headers["HX-Redirect"] == "/staff/"


def test_three_wrong_codes_lock_the_staff_user_with_the_staff_lockout_message(app, portal, staff_user):
    password_step(portal)
    for _attempt in (1, 2):
        wrong = portal.post(VERIFY, {"code": "000000"})
        assert wrong.status_code == 200 and WRONG_CODE in visible(wrong)
    third = portal.post(VERIFY, {"code": "000000"})
    assert third.status_code == 303 and third.headers["Location"] == "/staff/login"
    assert STAFF_LOCKED in visible(portal.get("/staff/login"))
    assert StaffUser.get().is_locked()
    # The right password and the right code are refused now, with the same message as the password's lock.
    again = password_step(portal)
    assert again.status_code == 200 and STAFF_LOCKED in visible(again)
    details = [e.detail for e in SecurityEvent.select().where(SecurityEvent.kind == "staff verification code wrong")]
    assert details == [f"staff user alice: attempt {n} of 3" for n in (1, 2, 3)]
    assert "staff account locked" in kinds()


def test_a_right_password_does_not_start_the_code_count_again(app, portal, staff_user):
    password_step(portal)
    portal.post(VERIFY, {"code": "000000"})
    portal.post(VERIFY, {"code": "000000"})
    assert password_step(Portal(app.test_client())).headers["Location"] == VERIFY
    password_step(portal)
    locked = portal.post(VERIFY, {"code": "000000"})
    assert locked.headers["Location"] == "/staff/login" and StaffUser.get().is_locked()


def test_a_right_code_starts_the_count_again(app, portal, staff_user):
    password_step(portal)
    portal.post(VERIFY, {"code": "000000"})
    assert portal.post(VERIFY, {"code": staff_code(app)}).headers["Location"] == "/staff/"
    assert StaffUser.get().failed_logins == 0


def test_a_staff_code_is_not_accepted_twice(app, staff_user):
    first = Portal(app.test_client())
    password_step(first)
    code = staff_code(app)
    assert first.post(VERIFY, {"code": code}).headers["Location"] == "/staff/"
    second = Portal(app.test_client())
    password_step(second)
    assert WRONG_CODE in visible(second.post(VERIFY, {"code": code}))


def test_a_recovery_code_signs_a_staff_user_in_once_and_not_twice(app, enrolled):
    _, codes = enrolled
    browser = Portal(app.test_client())
    password_step(browser, "dana")
    assert browser.post(VERIFY, {"code": codes[0]}).headers["Location"] == "/staff/"
    assert SecurityEvent.get(SecurityEvent.kind == "staff recovery code used").detail == "staff user dana"
    browser.post("/staff/logout")
    password_step(browser, "dana")
    assert WRONG_CODE in visible(browser.post(VERIFY, {"code": codes[0]}))
    assert browser.post(VERIFY, {"code": codes[1].lower()}).headers["Location"] == "/staff/"


def test_the_staff_verification_step_expires_after_five_minutes(app, portal, staff_user, monkeypatch):
    password_step(portal)
    code = staff_code(app)
    later = clock.utcnow() + timedelta(minutes=6)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    response = portal.post(VERIFY, {"code": code})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/login"
    assert "the Verification Code step ends after a few minutes" in visible(portal.get("/staff/login"))
    assert StaffSession.select().count() == 0


def test_the_staff_verification_step_needs_a_right_password_first(portal, staff_user):
    assert portal.get(VERIFY).headers["Location"] == "/staff/login"
    assert portal.post(VERIFY, {"code": "123456"}).headers["Location"] == "/staff/login"


def test_a_producer_challenge_does_not_open_the_staff_step(app, portal, staff_user):
    """The producer's and the console's Verification Code steps keep their sign-ins apart."""
    password_step(portal)
    assert portal.get("/login/verify").headers["Location"] == VERIFY
    assert portal.post(VERIFY, {"code": staff_code(app)}).headers["Location"] == "/staff/"


# An admin resets a staff user's two-step.

@pytest.fixture
def bob(app):
    """bob, a clerk with two-step, signed in."""
    with app.app_context():
        add_staff_user("bob")
    browser = Portal(app.test_client())
    assert staff_login(browser, "bob").headers["Location"] == "/staff/"
    return browser


def test_an_admin_resets_a_staff_users_two_step_and_they_set_it_up_again(app, console, bob):
    bob_id = StaffUser.get(StaffUser.user_name == "bob").id
    page = visible(console.get("/staff/users"))
    assert "Reset two-step of bob" in page
    response = console.post(f"/staff/users/{bob_id}/reset-two-step")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/users"
    seen = visible(console.get("/staff/users"))
    assert "Two-step verification reset for bob: they set it up again at their next sign-in." in seen
    assert "bob Clerk Active; two-step not set up yet" in seen and "Reset two-step of bob" not in seen
    assert TwoStep.select().where(TwoStep.staff_user == bob_id).count() == 0
    event = SecurityEvent.get(SecurityEvent.kind == "staff two-step reset")
    assert event.detail == "staff user bob: by alice"
    assert bob.get("/staff/").headers["Location"] == "/staff/login"  # their sessions ended
    again = Portal(app.test_client())
    assert password_step(again, "bob").headers["Location"] == SET_UP  # no code asked: they enrol again
    set_up_two_step(again, "/staff/two-step")
    assert again.get("/staff/").status_code == 200


def test_only_an_admin_resets_two_step_and_never_their_own(app, console, bob):
    alice_id = StaffUser.get(StaffUser.user_name == "alice").id
    assert bob.post(f"/staff/users/{alice_id}/reset-two-step").status_code == 403
    assert console.post(f"/staff/users/{alice_id}/reset-two-step").status_code == 404
    assert TwoStep.select().count() == 2


def test_flask_staff_reset_two_step(app, runner, bob):
    result = runner.invoke(args=["staff", "reset-two-step", "BOB"])
    assert result.exit_code == 0
    assert "Two-step verification reset for bob: they set it up again at their next sign-in." in result.output
    assert SecurityEvent.get(SecurityEvent.kind == "staff two-step reset").detail == "staff user bob: by cli"
    assert password_step(Portal(app.test_client()), "bob").headers["Location"] == SET_UP
    twice = runner.invoke(args=["staff", "reset-two-step", "bob"])
    assert twice.exit_code == 1 and "bob has no two-step verification to reset." in twice.output
    unknown = runner.invoke(args=["staff", "reset-two-step", "nobody"])
    assert unknown.exit_code == 1 and "No staff user named 'nobody'." in unknown.output
