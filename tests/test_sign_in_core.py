"""One sign-in core: every step owed, in order, judged in one place (rpp/judge.py, rpp/signin.py), and
sessions that end when nobody is there. Each finding of the sign-in review is a test here, through the
real routes."""
import re
import threading
from datetime import timedelta

import pytest

from rpp import clock
from rpp.judge import Credential, judge
from rpp.lockout import SignInOutcome
from rpp.messages import text
from rpp.models import Account, LoginSession, Passkey, SecurityEvent, StaffSession, StaffUser, StateRegistration
from rpp.registration import activation
from rpp.staff import staff_users as staff
from tests.helpers import (
    LOCKED,
    MISMATCH,
    STAFF_PASSWORD,
    STAFF_VERIFY,
    Portal,
    add_staff_user,
    login,
    make_account,
    producer_code,
    redirect_target,
    registration_form,
    staff_code,
    staff_login,
    visible,
    with_two_step,
)

PASSWORD = "bcbs4tx9"
VERIFY = "/login/verify"
REASON = "Contract ended."


@pytest.fixture
def account(app):
    return make_account(app, password=PASSWORD)


def revoke_everything(app, user_name="jessicacamp"):
    with app.app_context():
        for registration in StateRegistration.select().join(Account).where(Account.user_name == user_name):
            activation.revoke(registration, REASON, by="alice")


# Register Again skipped the second step (high).

def test_register_again_waits_for_the_verification_code(app, portal, account):
    with_two_step(app)
    revoke_everything(app)
    first = login(portal, password=PASSWORD)
    assert redirect_target(first) == VERIFY
    assert REASON not in visible(first)
    # With the password alone, Register Again (and every other page) leads to the code.
    for path in ("/register/again", "/register", "/home", "/account/profile"):
        assert redirect_target(portal.get(path)) == VERIFY, path
    answer = portal.post("/register/again", registration_form(states=("OK",)))
    assert redirect_target(answer) == VERIFY
    with app.app_context():
        assert not StateRegistration.select().where(StateRegistration.state == "OK").exists()
        assert not LoginSession.select().exists()
    # After the right code: the reasons, and Register Again opens.
    done = portal.post(VERIFY, {"code": producer_code(app)})
    assert redirect_target(done) == "/"
    page = visible(portal.get("/"))
    assert text("sign_in.closed.revoked", state="Texas", reason=REASON) in page
    assert portal.get("/register/again").status_code == 200


def test_register_again_with_two_step_is_never_offered_on_a_wrong_code(app, portal, account):
    with_two_step(app)
    revoke_everything(app)
    login(portal, password=PASSWORD)
    wrong = portal.post(VERIFY, {"code": "000000"})
    assert REASON not in visible(wrong)
    assert redirect_target(portal.get("/register/again")) == VERIFY
    portal.get("/")  # Back to Login Page: the sign-in in progress ends
    assert redirect_target(portal.get("/register/again")) == "/"


def test_register_again_without_two_step_still_opens_after_the_password(app, portal, account):
    revoke_everything(app)
    page = visible(login(portal, password=PASSWORD))
    assert text("sign_in.closed.revoked", state="Texas", reason=REASON) in page
    assert portal.get("/register/again").status_code == 200


# A temporary password stranded the producer.

def reset(app, portal, outbox):
    portal.post("/reset-password", {"user_name": "jessicacamp", "email": "testproducer@gmail.com"}, buffered=True)
    return re.search(r"Your temporary password is: ([A-Za-z0-9]+)\.", outbox[-1].body).group(1)


def test_a_temporary_password_is_not_used_before_the_verification_code(app, portal, account, outbox):
    with_two_step(app)
    temporary = reset(app, portal, outbox)
    assert redirect_target(login(portal, password=temporary)) == VERIFY
    portal.get("/")  # the producer leaves at the code step
    # Nothing was used: the old password still signs in, and so does the temporary one.
    other = Portal(app.test_client())
    assert redirect_target(login(other, password=PASSWORD)) == VERIFY
    assert redirect_target(other.post(VERIFY, {"code": producer_code(app)})) != "/account/change-password"
    again = Portal(app.test_client())
    assert redirect_target(login(again, password=temporary)) == VERIFY
    assert redirect_target(again.post(VERIFY, {"code": producer_code(app)})) == "/account/change-password"


def test_leaving_change_password_strands_nobody(app, portal, account, outbox):
    temporary = reset(app, portal, outbox)
    assert redirect_target(login(portal, password=temporary)) == "/account/change-password"
    # The tab closes. The old password no longer works (retired at the first complete sign-in) ...
    later = Portal(app.test_client())
    assert MISMATCH in visible(login(later, password=PASSWORD))
    # ... but the temporary one still does, straight to Change Password, without counting toward a lock.
    assert redirect_target(login(later, password=temporary)) == "/account/change-password"
    with app.app_context():
        assert Account.get().failed_logins == 0


def test_the_reset_e_mail_says_how_long_the_temporary_password_keeps_working(app, portal, account, outbox):
    reset(app, portal, outbox)
    body = " ".join(outbox[-1].body.split())
    assert text("temporary_password.until_changed") in body


# A stolen session added a lasting way in (passkeys: tests/test_passkeys.py); after a recovery.

def test_completing_a_reset_ends_every_other_session_and_lists_the_passkeys(app, portal, account, outbox):
    intruder = Portal(app.test_client())
    login(intruder, password=PASSWORD)
    with app.app_context():
        Passkey.create(account=Account.get(), credential_id="intruders", public_key="x", name="Intruder's key")
    temporary = reset(app, portal, outbox)
    login(portal, password=temporary)
    done = portal.post("/account/change-password", {"current_password": temporary, "new_password": "newpw42",
                                                     "confirm_new_password": "newpw42"})
    page = portal.get(redirect_target(done))
    assert "Your password has been updated." in visible(page)
    assert "Intruder's key" in visible(page) and text("passkeys.after_recovery") in visible(page)
    assert intruder.get("/home").status_code == 302  # signed out
    with app.app_context():
        passkey_id = Passkey.get().id
    removed = portal.post("/account/passkeys/remove", {"passkey-passkey_id": passkey_id,
                                                       "passkey-current_password": "newpw42"})
    assert text("passkeys.removed") in visible(portal.get(redirect_target(removed)))  # on Edit Profile
    with app.app_context():
        assert not Passkey.select().exists()


# A disabled staff user finished signing in.

@pytest.fixture
def clerk(app):
    with app.app_context():
        add_staff_user("Admin", admin=True)
        add_staff_user("Carol")
    return "carol"


def test_a_staff_user_disabled_at_the_code_step_cannot_finish(app, portal, clerk):
    assert redirect_target(portal.post("/staff/login", {"user_name": "carol", "password": STAFF_PASSWORD})) \
        == STAFF_VERIFY
    with app.app_context():
        staff.set_disabled(staff.find_staff_user("carol"), True, staff.find_staff_user("admin"))
    answer = portal.post(STAFF_VERIFY, {"code": staff_code(app, "carol")})
    assert redirect_target(answer) == "/staff/login"
    assert portal.get("/staff/").headers["Location"] == "/staff/login"
    with app.app_context():
        assert not StaffSession.select().exists()


def test_the_console_checks_disabled_on_every_request(app, portal, clerk):
    staff_login(portal, "carol")
    assert portal.get("/staff/").status_code == 200
    with app.app_context():  # disabled straight in the database, not through the console
        StaffUser.update(disabled=True).where(StaffUser.user_name == "carol").execute()
    assert portal.get("/staff/").headers["Location"] == "/staff/login"


def test_disabling_a_staff_user_ends_their_sign_in_under_way(app, portal, clerk):
    portal.post("/staff/login", {"user_name": "carol", "password": STAFF_PASSWORD})
    admin = Portal(app.test_client())
    staff_login(admin, "admin")
    with app.app_context():
        carol_id = staff.find_staff_user("carol").id
    admin.post(f"/staff/users/{carol_id}/disable")
    assert redirect_target(portal.post(STAFF_VERIFY, {"code": staff_code(app, "carol")})) == "/staff/login"


# From a pending sign-in only its next step answers: every route of the URL map.

def every_route(app):
    """(method, path, endpoint) for each rule of the URL map, its arguments filled with 1."""
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path, rule.endpoint


def walk(app, portal, way_out, next_step):
    for method, path, endpoint in every_route(app):
        if endpoint in way_out:
            continue
        answer = portal.get(path) if method == "GET" else portal.post(path, {})
        assert redirect_target(answer) == next_step, (method, path, answer.status_code)


def test_a_producer_sign_in_in_progress_reaches_only_its_verification_code(app, portal, account):
    with_two_step(app)
    login(portal, password=PASSWORD)
    walk(app, portal, {"auth.verify", "auth.sign_in", "auth.login", "pages.contact_us", "static", "languages.switch"},
         VERIFY)
    assert portal.get(VERIFY).status_code == 200  # still under way after the walk


def test_a_staff_sign_in_in_progress_reaches_only_its_verification_code(app, portal, clerk):
    portal.post("/staff/login", {"user_name": "carol", "password": STAFF_PASSWORD})
    walk(app, portal, {"staff.verify", "staff.sign_in", "staff.login", "pages.contact_us", "static"},
         STAFF_VERIFY)
    assert portal.get(STAFF_VERIFY).status_code == 200


def test_locking_the_account_ends_the_sign_in_in_progress(app, portal, account):
    with_two_step(app)
    login(portal, password=PASSWORD)
    stranger = Portal(app.test_client())
    for _ in range(3):
        login(stranger, password="wrong1")
    assert redirect_target(portal.post(VERIFY, {"code": producer_code(app)})) == "/"
    assert portal.get("/home").status_code == 302


# The judge: every credential, producers and staff, atomic under concurrency.

def test_the_judge_counts_and_locks_every_kind_of_credential(app, account):
    with app.app_context():
        for credential in (Credential.PASSWORD, Credential.CODE, Credential.CURRENT_PASSWORD):
            Account.update(failed_logins=0, locked_until=None, last_failed_at=None).execute()
            outcomes = [judge(Account.get(), credential, lambda: None, refused_event="x", where="y").outcome
                        for _ in range(4)]
            assert outcomes == [SignInOutcome.MISMATCH, SignInOutcome.MISMATCH, SignInOutcome.LOCKED,
                                SignInOutcome.LOCKED], credential
        assert judge(Account.get(), Credential.PASSKEY, None).outcome is SignInOutcome.LOCKED
        Account.update(failed_logins=0, locked_until=None, last_failed_at=None).execute()
        assert judge(Account.get(), Credential.PASSKEY, None).outcome is SignInOutcome.OK


def test_the_judge_serves_staff_users_alike(app, clerk):
    with app.app_context():
        carol = staff.find_staff_user("carol")
        outcomes = [judge(carol, Credential.CODE, lambda: None).outcome for _ in range(3)]
        assert outcomes[-1] is SignInOutcome.LOCKED
        assert staff.find_staff_user("carol").is_locked()
        kinds = [e.kind for e in SecurityEvent.select().order_by(SecurityEvent.id)]
        assert kinds.count("staff verification code wrong") == 3 and "staff account locked" in kinds


def test_a_right_first_step_gives_its_attempt_back_when_a_code_follows(app, account):
    with app.app_context():
        judge(Account.get(), Credential.PASSWORD, lambda: None)
        judge(Account.get(), Credential.PASSWORD, lambda: "password", more_follows=True)
        assert Account.get().failed_logins == 1  # the wrong one still counts
        judge(Account.get(), Credential.CODE, lambda: "app")
        assert Account.get().failed_logins == 0


def test_concurrent_codes_never_check_more_than_the_threshold(app, account):
    checked = []
    lock = threading.Lock()

    def wrong_code():
        with lock:
            checked.append(1)
        return None

    def guess():
        with app.app_context():
            judge(Account.get(), Credential.CODE, wrong_code)

    threads = [threading.Thread(target=guess) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        assert len(checked) == app.config["LOCKOUT_THRESHOLD"]
        assert Account.get().is_locked()


# Sessions that end when nobody is there.

@pytest.mark.settings(SESSION_IDLE_MINUTES=30)
def test_a_session_unused_for_the_idle_limit_ends(app, portal, account, monkeypatch):
    login(portal, password=PASSWORD)
    assert portal.get("/home").status_code == 200
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=29))
    assert portal.get("/home").status_code == 200  # used: the limit starts again
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=29 + 31))
    answer = portal.get("/home")
    assert answer.status_code == 302
    page = visible(portal.get(answer.headers["Location"]))
    assert "You were logged out after 30 minutes without activity." in page
    with app.app_context():
        assert not LoginSession.select().exists()


def test_a_form_sent_after_the_idle_limit_says_so(app, portal, account, monkeypatch):
    login(portal, password=PASSWORD)
    portal.get("/account/change-password")
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=31))
    answer = portal.post("/account/change-password", {"current_password": PASSWORD, "new_password": "newpw42",
                                                      "confirm_new_password": "newpw42"})
    assert "/?next=" in redirect_target(answer) or redirect_target(answer).startswith("/")
    assert text("sign_in.idle") in visible(portal.get("/"))
    with app.app_context():
        assert Account.get().password_hash != "changed" and not LoginSession.select().exists()


def test_stay_signed_in_keeps_the_session(app, portal, account, monkeypatch):
    login(portal, password=PASSWORD)
    page = portal.get("/home").get_data(as_text=True)
    assert 'id="idle-warning"' in page and text("idle.stay") in page
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=25))
    assert portal.post("/session/stay", {}).status_code == 204
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=50))
    assert portal.get("/home").status_code == 200


def test_staff_sessions_end_after_fifteen_idle_minutes(app, portal, clerk, monkeypatch):
    staff_login(portal, "carol")
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=14))
    assert portal.get("/staff/").status_code == 200
    assert portal.post("/staff/session/stay", {}).status_code == 204
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=14 + 16))
    assert portal.get("/staff/").headers["Location"] == "/staff/login"
    assert text("staff.sign_in.idle") in visible(portal.get("/staff/login"))


# Staff end a producer's sessions.

def test_sign_out_everywhere_ends_every_session_of_the_producer(app, account, clerk):
    browsers = [Portal(app.test_client()) for _ in range(2)]
    for browser in browsers:
        login(browser, password=PASSWORD)
    console = Portal(app.test_client())
    staff_login(console, "carol")
    with app.app_context():
        producer_id = Account.get().id
    assert "Signed in on 2 browsers now." in visible(console.get(f"/staff/producers/{producer_id}"))
    done = console.post(f"/staff/producers/{producer_id}/sign-out-everywhere", {})
    assert text("staff.signed_out_everywhere", user_name="jessicacamp") in visible(
        console.get(redirect_target(done)))
    for browser in browsers:
        assert browser.get("/home").status_code == 302
    with app.app_context():
        event = SecurityEvent.get(SecurityEvent.kind == "signed out everywhere by staff")
        assert event.detail == "by carol: 2 sessions"


def test_a_locked_message_after_wrong_codes(app, portal, account):
    with_two_step(app)
    login(portal, password=PASSWORD)
    for _ in range(2):
        portal.post(VERIFY, {"code": "000000"})
    third = portal.post(VERIFY, {"code": "000000"})
    assert redirect_target(third) == "/"
    assert LOCKED in visible(portal.get("/"))


# Honest time limits on the Verification Code step (WCAG 2.2.1).

def test_the_verification_code_page_says_how_long_it_waits(app, portal, account):
    with_two_step(app)
    login(portal, password=PASSWORD)
    page = portal.get(VERIFY)
    assert text("two_step.time_limit", minutes=5) in visible(page)
    assert text("two_step.more_time") in page.get_data(as_text=True)  # the warning's button (shown by idle.js)


def test_an_expired_step_keeps_the_user_name_and_says_so(app, portal, account, monkeypatch):
    with_two_step(app)
    login(portal, password=PASSWORD)
    portal.get(VERIFY)  # the page the code is typed on
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=6))
    answer = portal.post(VERIFY, {"code": producer_code(app)})
    assert redirect_target(answer) == "/"
    page = portal.get("/")
    assert text("sign_in.verification_expired") in visible(page)
    assert 'value="jessicacamp"' in page.get_data(as_text=True)


def test_more_time_gives_one_more_period_once(app, portal, account, monkeypatch):
    with_two_step(app)
    login(portal, password=PASSWORD)
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=4, seconds=30))
    assert portal.post("/login/verify/more-time", {}, htmx=True).status_code == 204
    assert portal.post("/login/verify/more-time", {}, htmx=True).status_code == 409  # once
    assert f'>{text("two_step.more_time")}</button>' not in portal.get(VERIFY).get_data(as_text=True)
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=8))
    assert redirect_target(portal.post(VERIFY, {"code": producer_code(app)})) == "/home"


def test_more_time_without_javascript_returns_to_the_step(app, portal, clerk):
    portal.post("/staff/login", {"user_name": "carol", "password": STAFF_PASSWORD})
    assert redirect_target(portal.post("/staff/login/verify/more-time", {})) == STAFF_VERIFY
