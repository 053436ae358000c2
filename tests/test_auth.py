"""Log In to the Portal, Resolve Account Lock Outs, activation, sessions and the signed-in shell."""
import re
import threading
from datetime import timedelta

import pytest

from rpp import clock
from rpp.auth import service as auth
from rpp.messages import text
from rpp.models import Account, LoginSession, OutboxMessage, SecurityEvent, StateRegistration
from rpp.registration import activation
from tests.helpers import LOCKED, MISMATCH, Browser, Portal, login, make_account, visible, without_token


@pytest.fixture
def account(app):
    return make_account(app)


def failed_logins(user_name="jessicacamp"):
    return Account.get(Account.user_name == user_name).failed_logins


def test_login_with_the_right_password_goes_home(portal, account):
    response = login(portal)
    assert response.status_code == 303 and response.headers["Location"].endswith("/home")
    home = portal.get("/home")
    assert home.status_code == 200
    seen = visible(home)
    assert "Hello, Jessica Camp" in seen and "Texas" in seen and "Active" in seen
    assert "Welcome to the Retail Producer Portal." in seen


def test_user_name_and_password_are_case_sensitive(portal, account):
    assert MISMATCH in visible(login(portal, user_name="JessicaCamp"))
    assert MISMATCH in visible(login(portal, password="BCBS4TX9"))


def test_third_wrong_password_locks_account(portal, account):
    first, second, third = (login(portal, password="wrong1") for _ in range(3))
    assert MISMATCH in visible(first) and MISMATCH in visible(second)
    assert LOCKED in visible(third) and MISMATCH not in visible(third)
    assert '<a href="/forgot-user-name">Forgot Username</a>' in first.get_data(as_text=True)
    assert '<a href="/reset-password">Reset Password</a>' in first.get_data(as_text=True)
    assert Account.get().is_locked()


LOCK_LIFTS = "Your account unlocks by itself within {} minutes; you can then log in again."


def test_locked_message_says_when_the_lock_lifts(portal, account):
    answers = [visible(login(portal, password=f"wrong{i}")) for i in range(4)]
    assert LOCK_LIFTS.format(60) not in answers[1]
    assert f"{LOCKED} {LOCK_LIFTS.format(60)}" in answers[2] and f"{LOCKED} {LOCK_LIFTS.format(60)}" in answers[3]


@pytest.mark.settings(LOCKOUT_MINUTES=30)
def test_the_lock_lifting_sentence_takes_its_minutes_from_the_settings(portal, account):
    for _attempt in range(2):
        login(portal, password="wrong1")
    assert LOCK_LIFTS.format(30) in visible(login(portal, password="wrong1"))


def test_right_password_is_refused_while_locked(portal, account):
    for _ in range(3):
        login(portal, password="wrong1")
    response = login(portal)
    assert LOCKED in visible(response) and response.status_code == 200
    assert portal.get("/home").status_code == 302


def test_success_resets_the_count(portal, account):
    login(portal, password="wrong1")
    login(portal, password="wrong2")
    assert login(portal).status_code == 303
    assert failed_logins() == 0


def test_fail_fail_success_fail_is_not_locked(app, account):
    portal = Portal(app.test_client())
    login(portal, password="wrong1")
    login(portal, password="wrong2")
    assert login(portal).status_code == 303
    other = Portal(app.test_client())
    assert MISMATCH in visible(login(other, password="wrong3"))
    assert not Account.get().is_locked()


def test_lock_lifts_by_itself_after_the_lockout_time(portal, account, monkeypatch):
    for _ in range(3):
        login(portal, password="wrong1")
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=59))
    assert LOCKED in visible(login(portal))
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=61))
    assert login(portal).status_code == 303


def test_after_the_lock_expires_the_count_starts_again(portal, account, monkeypatch):
    for _ in range(3):
        login(portal, password="wrong1")
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=61))
    assert MISMATCH in visible(login(portal, password="wrong2"))
    assert failed_logins() == 1


@pytest.mark.settings(LOCKOUT_THRESHOLD=5, LOCKOUT_MINUTES=10)
def test_threshold_and_duration_are_settings(app, portal, account):
    results = [visible(login(portal, password="wrong1")) for _ in range(5)]
    with app.app_context():
        mismatch, locked = text("sign_in.mismatch"), text("sign_in.locked")
    assert "After five attempts" in mismatch and "due to five unsuccessful login attempts" in locked
    assert all(mismatch in r for r in results[:4]) and locked in results[4]
    account = Account.get()
    assert timedelta(minutes=9) < account.locked_until - clock.utcnow() <= timedelta(minutes=10)


def test_unlock_by_cli(portal, account, runner):
    for _ in range(3):
        login(portal, password="wrong1")
    result = runner.invoke(args=["accounts", "unlock", "JESSICACAMP"])
    assert result.exit_code == 0 and "Unlocked jessicacamp" in result.output
    assert login(portal).status_code == 303
    assert SecurityEvent.select().where(SecurityEvent.kind == "account unlocked").exists()


def test_unlock_unknown_user_is_an_error(runner):
    result = runner.invoke(args=["accounts", "unlock", "nobody"])
    assert result.exit_code != 0 and "No account" in result.output


def test_unknown_user_name_is_indistinguishable(app, account):
    known = Portal(app.test_client())
    unknown = Portal(app.test_client())
    a = login(known, password="wrong1")
    b = login(unknown, user_name="nobody")
    assert a.status_code == b.status_code == 200
    assert without_token(a.get_data(as_text=True)).replace("jessicacamp", "nobody") == \
        without_token(b.get_data(as_text=True))


def test_unknown_user_name_still_costs_the_hash_checks(portal, account, monkeypatch):
    calls = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    login(portal, user_name="nobody")
    unknown_calls = len(calls)
    calls.clear()
    login(portal, password="wrong1")
    assert unknown_calls == len(calls) == 2


def test_pending_account_is_refused_without_a_session(app, portal):
    make_account(app, activate=False)
    response = login(portal)
    assert response.status_code == 200
    assert "Your registration has not been activated yet." in visible(response)
    assert portal.get("/home").status_code == 302
    assert LoginSession.select().count() == 0


def test_rejected_only_account_cannot_log_in(app, portal, outbox):
    make_account(app, activate=False)
    with app.app_context():
        activation.reject("jessicacamp", "TX", "Agent ID belongs to another agency")
    assert text("sign_in.not_activated_closed") in visible(login(portal))
    assert outbox[-1].subject == "Retail Producer Portal Registration Not Activated"
    assert "Agent ID belongs to another agency" in outbox[-1].body


def test_activation_sends_the_guides_email(app, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    with app.app_context():
        rows = activation.activate("jessicacamp", "TX")
    assert [r.state for r in rows] == ["TX"]
    assert len(outbox) == 1
    message = outbox[0]
    assert message.subject == "Retail Producer Portal Registration Activation"
    assert message.to == ["testproducer@gmail.com"]
    assert "This notice is to alert you that your registration request has been activated." in message.body
    assert "please contact Producer Services toll free at (888) 697-0679." in message.body
    assert "State Farm agents - please call 1-877-699-5849 for assistance." in message.body
    assert "https://portal.example.test/" in message.body
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    assert {r.state: r.status for r in StateRegistration.select()} == {"TX": "active", "IL": "pending"}
    assert OutboxMessage.get().sent_at is not None


def test_activate_by_cli(app, runner, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    result = runner.invoke(args=["registrations", "activate", "jessicacamp"])
    assert result.exit_code == 0 and "Activated jessicacamp in IL" in result.output
    [message] = outbox  # one e-mail lists both states, each with its Producer Services number
    assert "Illinois: (888) 313-5526" in message.body and "Texas: (888) 697-0679" in message.body
    again = runner.invoke(args=["registrations", "activate", "jessicacamp"])
    assert again.exit_code != 0 and "no pending registration" in again.output


def test_reject_needs_a_reason(app, runner):
    make_account(app, activate=False)
    result = runner.invoke(args=["registrations", "reject", "jessicacamp", "--state", "TX", "--reason", " "])
    assert result.exit_code != 0 and "reason is required" in result.output


def test_several_active_states_ask_for_a_state(app, portal):
    make_account(app, states=("TX", "IL"))
    response = login(portal)
    assert "/select-state" in response.headers["Location"]
    page = visible(portal.get("/select-state"))
    assert "Illinois" in page and "Texas" in page
    assert portal.post("/select-state", {"state": "MT"}).status_code == 200
    chosen = portal.post("/select-state", {"state": "IL"})
    assert chosen.status_code == 303
    assert LoginSession.get().selected_state == "IL"
    assert "You are working in Illinois" in visible(portal.get("/home"))


def test_home_shows_pending_and_rejected_states(app, portal):
    make_account(app, states=("TX", "IL", "MT"), activate=False)
    with app.app_context():
        activation.activate("jessicacamp", "TX")
        activation.reject("jessicacamp", "MT", "Not contracted in Montana")
    login(portal)
    seen = visible(portal.get("/home"))
    assert "Active" in seen and "Pending since" in seen and "Rejected: Not contracted in Montana" in seen


def test_menu_and_account_work_without_javascript(portal, account):
    page = portal.get("/").get_data(as_text=True)
    assert "<summary>Menu</summary>" in page and 'href="/contact-us"' in page
    login(portal)
    page = portal.get("/home").get_data(as_text=True)
    assert "<summary>Account</summary>" in page
    assert re.search(r'<form method="post" action="/logout">.*?<button type="submit">Logout</button>', page, re.S)


def test_logout_ends_the_session_and_a_replayed_cookie_is_refused(app, portal, client, account):
    login(portal)
    stolen = client.get_cookie("rpp_session").value
    assert portal.post("/logout").status_code == 303
    assert portal.get("/home").status_code == 302
    client.set_cookie("rpp_session", stolen)
    assert portal.get("/home").status_code == 302
    assert LoginSession.select().count() == 0


def test_logout_by_get_goes_to_the_home_page_still_signed_in(portal, account):
    login(portal)
    assert portal.get("/logout").headers["Location"] == "/"
    assert portal.get("/home").status_code == 200


def test_login_starts_a_new_session(portal, client, account):
    portal.get("/")
    before = client.get_cookie("rpp_session").value
    login(portal)
    after = client.get_cookie("rpp_session").value
    assert before != after
    client.set_cookie("rpp_session", before)
    assert portal.get("/home").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                    "\\\\evil.example", "javascript:alert(1)", "http:/evil.example"])
def test_open_redirect_is_refused(portal, account, target):
    response = portal.post("/login", {"user_name": "jessicacamp", "password": "bcbs4tx9", "next": target})
    assert response.headers["Location"] == "/home"


def test_next_to_a_local_page_is_followed(portal, account):
    response = portal.post("/login", {"user_name": "jessicacamp", "password": "bcbs4tx9", "next": "/contact-us"})
    assert response.headers["Location"] == "/contact-us"


def test_htmx_login_error_is_swapped_into_the_sign_in_box(portal, account):
    response = login(portal, password="wrong1", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="sign-in"' in body and MISMATCH in visible(response)
    ok = login(portal, htmx=True)
    assert ok.headers["HX-Redirect"] == "/home"


def test_signed_in_pages_are_not_cached(portal, account):
    login(portal)
    assert portal.get("/home").headers["Cache-Control"] == "no-store"


def test_security_events_are_recorded_without_passwords(app, portal, account):
    login(portal, password="wrong1")
    login(portal)
    kinds = [e.kind for e in SecurityEvent.select().order_by(SecurityEvent.id)]
    assert kinds[-2:] == ["login failed", "login"]
    assert "registration activated" in kinds and "registration submitted" in kinds
    assert all(e.client_address == "127.0.0.1" for e in SecurityEvent.select().where(SecurityEvent.kind == "login"))
    for event in SecurityEvent.select():
        assert "bcbs4tx9" not in event.detail and "wrong1" not in event.detail


def test_contact_us_has_the_guides_table_signed_in_or_not(portal, account):
    for signed_in in (False, True):
        if signed_in:
            login(portal)
        seen = visible(portal.get("/contact-us"))
        for words in ("Major Medical", "(888) 313-5526", "(888) 222-0572", "(888) 399-9394", "(888) 697-0679",
                      "(855) 454-7109", "Medicare Supplement (Legacy)", "(800) 366-4236 prior to Jan 1, 2020",
                      "Medicare Supplement (New Business)", "(877) 587-6641 on or after Jan 1, 2020",
                      "Medicare Advantage (MAPD)", "(877) 774-8592", "Prescription Drug (PDP)", "(888) 285-2249",
                      "State Farm Agents Only", "(844) 250-8201"):
            assert words in seen


def test_concurrent_wrong_passwords_lose_no_increment(app, account, live_server):
    browsers = [Browser(live_server) for _ in range(20)]
    statuses = [None] * 20
    threads = [threading.Thread(target=lambda i=i: statuses.__setitem__(
        i, browsers[i].post("/login", {"user_name": "jessicacamp", "password": "wrong1"})))
        for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    with app.app_context():
        stored = Account.get()
        assert stored.failed_logins == 20
        assert stored.is_locked()
        # Only the threshold of guesses was judged; the other 17 met the lock.
        assert SecurityEvent.select().where(SecurityEvent.kind == "login failed").count() == 3
        assert SecurityEvent.select().where(SecurityEvent.kind == "login refused: account locked").count() == 17
        assert SecurityEvent.select().where(SecurityEvent.kind == "account locked").count() == 1


def test_login_clears_the_accounts_expired_sessions(app, account, monkeypatch):
    first = Portal(app.test_client())
    login(first)
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(hours=13))
    assert first.get("/home").status_code == 302  # expired after 12 hours
    login(Portal(app.test_client()))
    assert LoginSession.select().count() == 1
