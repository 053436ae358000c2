"""Recover Your User Name, Reset Password, temporary passwords and recovery rate limits."""
import re
from datetime import timedelta

import pytest

from rpp import clock, create_app, passwords
from rpp.models import Account, LoginSession, OutboxMessage, SecurityEvent, TemporaryPassword, TwoStep
from rpp.recovery import service as recovery
from rpp.registration import activation, roster
from tests.helpers import (
    LOCKED,
    MISMATCH,
    Portal,
    comparable,
    login,
    make_account,
    registration_form,
    settings,
    visible,
    without_token,
)

USER_NAME_SENT = "We sent your user name in an email to your email address on file."
PASSWORD_SENT = "We sent a temporary password to your email address on file."
MAY_TAKE_A_FEW_MINUTES = "The e-mail may take a few minutes to arrive."
TRY_AGAIN_LATER = "Please try again later"
TEMPORARY = re.compile(r"Your temporary password is: ([A-Za-z0-9]+)\.")


def ask(portal, path, data, **kwargs):
    """Post a recovery form the way a server answers it: the response is closed, so mail goes out after it."""
    return portal.post(path, data, buffered=True, **kwargs)


def forgot_user_name(portal, agent_id="999999999", email="testproducer@gmail.com", **kwargs):
    return ask(portal, "/forgot-user-name", {"agent_id": agent_id, "email": email}, **kwargs)


def reset_password(portal, user_name="jessicacamp", email="testproducer@gmail.com", agent_id="", **kwargs):
    return ask(portal, "/reset-password", {"user_name": user_name, "email": email, "agent_id": agent_id}, **kwargs)


def temporary_password(message):
    return TEMPORARY.search(message.body).group(1)


@pytest.fixture
def account(app):
    return make_account(app, states=("TX", "IL"))


# The sign-in page leads here.

def test_sign_in_and_lockout_messages_link_to_recovery(portal, account):
    page = portal.get("/").get_data(as_text=True)
    assert '<a href="/forgot-user-name">Forgot User Name?</a>' in page
    assert '<a href="/reset-password">Reset Password?</a>' in page
    for _ in range(3):
        locked = login(portal, password="wrong1").get_data(as_text=True)
    assert '<a href="/forgot-user-name">Forgot Username</a>' in locked
    assert '<a href="/reset-password">Reset Password</a>' in locked


# Recover Your User Name.

def test_forgot_user_name_page_has_the_guides_fields(portal):
    page = portal.get("/forgot-user-name")
    seen = visible(page)
    for words in ("Forgot User Name?", "Please enter the Agent Unique ID AND Email Address linked to your account.",
                  "Agent Unique ID *", "E-mail Address *", "* Denotes a required field.", "Submit",
                  "If you need assistance, please contact Producer Services at:", "(888) 313-5526",
                  "State Farm Agents Only", "(844) 250-8201"):
        assert words in seen
    body = page.get_data(as_text=True)
    assert re.search(r'<form method="post" action="/forgot-user-name"', body) and 'name="csrf_token"' in body


def test_forgot_user_name_emails_the_user_name(app, portal, account, outbox):
    response = forgot_user_name(portal, email="TestProducer@Gmail.com ")
    assert response.status_code == 303 and response.headers["Location"] == "/forgot-user-name/sent"
    page = portal.get("/forgot-user-name/sent")
    assert USER_NAME_SENT in visible(page) and MAY_TAKE_A_FEW_MINUTES in visible(page)
    assert re.search(r'<a class="button" href="/">OK</a>', page.get_data(as_text=True))
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["testproducer@gmail.com"]
    assert message.subject == "Retail Producer Portal User Name"
    for words in ("Hello! We recently received a request to provide your User Name for Retail Producer Portal – "
                  "if you did not request, please call us at the number below.",
                  "Important: please close your web browser and clear your history and cache before you "
                  "re-attempt to log in!",
                  "User Name(s) linked to your email address: jessicacamp. You can return to RPP now and enter "
                  "your User Name and password on the Login page.",
                  "please contact Producer Services toll free at any of the following numbers:\n"
                  "IL: (888) 313-5526\nTX: (888) 697-0679\n",
                  "State Farm agents - please call 1-844-250-8201 for assistance.",
                  "NOTE: Any replies to this mail will not be received.",
                  "Retail Producer Portal Customer Service", "https://portal.example.test/"):
        assert words in message.body
    assert "MT:" not in message.body
    html = message.alternatives[0][0]
    assert '<a href="https://portal.example.test/">return to RPP</a>' in html and "jessicacamp" in html
    assert OutboxMessage.get().sent_at is not None
    event = SecurityEvent.get(SecurityEvent.kind == "user name recovery requested")
    assert event.account.user_name == "jessicacamp" and event.client_address == "127.0.0.1"


def test_forgot_user_name_lists_every_user_name_linked_to_the_address_and_id(app, portal, outbox):
    with app.app_context():
        roster.import_roster("state,agent_id\nIL,999999999\n")
    make_account(app, states=("TX",))
    other = Portal(app.test_client())
    other.post("/register", registration_form(user_name="jcamp.agency", states=("IL",), **{"IL-agent_id": "999999999"}))
    assert other.post("/register/submit").status_code == 303
    forgot_user_name(portal)
    message = outbox[-1]  # after jessicacamp's activation e-mail
    assert "User Name(s) linked to your email address: jessicacamp, jcamp.agency." in message.body
    assert "IL: (888) 313-5526\nTX: (888) 697-0679\n" in message.body


@pytest.mark.parametrize("agent_id, email", [
    ("999999999", "someone.else@example.com"),   # right ID, another address
    ("111111112", "testproducer@gmail.com"),     # right address, another ID
    ("123456789", "nobody@example.com"),         # nothing known at all
])
def test_forgot_user_name_answers_the_same_when_nothing_matches(app, account, outbox, agent_id, email):
    app.config["RECOVERY_LIMIT_PER_ACCOUNT"] = "10 per hour"  # four requests about one address here
    known, unknown = Portal(app.test_client()), Portal(app.test_client())
    for htmx in (False, True):
        a = forgot_user_name(known, htmx=htmx)
        b = forgot_user_name(unknown, agent_id=agent_id, email=email, htmx=htmx)
        assert a.status_code == b.status_code
        assert a.headers.get("Location") == b.headers.get("Location")
        assert without_token(a.get_data(as_text=True)) == without_token(b.get_data(as_text=True))
    assert without_token(known.get("/forgot-user-name/sent").get_data(as_text=True)) == \
        without_token(unknown.get("/forgot-user-name/sent").get_data(as_text=True))
    assert {m.to[0] for m in outbox} == {"testproducer@gmail.com"}


def test_rejected_registration_recovers_nothing(app, portal, outbox):
    make_account(app, activate=False)
    with app.app_context():
        activation.reject("jessicacamp", "TX", "Not contracted")
    outbox.clear()
    assert forgot_user_name(portal).status_code == 303
    assert outbox == []


@pytest.mark.parametrize("data, field, message", [
    ({"agent_id": "12345", "email": "testproducer@gmail.com"}, "agent_id", "Agent Unique ID must be exactly 9 digits."),
    ({"agent_id": "", "email": "testproducer@gmail.com"}, "agent_id", "Please enter your Agent Unique ID."),
    ({"agent_id": "999999999", "email": ""}, "email", "Please enter your E-mail Address."),
    ({"agent_id": "999999999", "email": "not-an-address"}, "email", "E-mail Address must be a valid e-mail address"),
])
def test_forgot_user_name_shows_the_problem_beside_the_field(portal, account, outbox, data, field, message):
    response = ask(portal, "/forgot-user-name", data)
    assert response.status_code == 200 and message in visible(response)
    body = response.get_data(as_text=True)
    assert re.search(rf'id="{field}-error"[^>]*>[^<]*<span[^>]*>Error:</span> {re.escape(message)}', body)
    assert f'value="{data["email"]}"' in body  # what was typed is kept
    assert outbox == []


def test_htmx_swaps_the_confirmation_into_the_panel(portal, account, outbox):
    page = portal.get("/forgot-user-name").get_data(as_text=True)
    assert 'hx-post="/forgot-user-name" hx-target="#recovery-panel"' in page
    response = forgot_user_name(portal, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert USER_NAME_SENT in visible(response) and ">OK</a>" in body
    assert response.headers["HX-Push-Url"] == "/forgot-user-name/sent"
    assert "HX-Request" in response.headers["Vary"]
    assert len(outbox) == 1
    error = forgot_user_name(portal, agent_id="1", htmx=True)
    assert "<html" not in error.get_data(as_text=True) and "Agent Unique ID must be exactly 9 digits." in visible(error)


# Reset Password.

def test_reset_password_page_has_the_fields(portal):
    seen = visible(portal.get("/reset-password"))
    for words in ("Reset Password?", "User Name *", "E-mail Address OR Agent Unique ID *", "E-mail Address",
                  "Agent Unique ID", "* Denotes a required field.", "Submit",
                  "If you need assistance, please contact Producer Services at:"):
        assert words in seen


def test_reset_password_emails_a_temporary_password(app, portal, account, outbox):
    before = clock.utcnow()
    response = reset_password(portal)
    assert response.status_code == 303 and response.headers["Location"] == "/reset-password/sent"
    page = visible(portal.get("/reset-password/sent"))
    assert PASSWORD_SENT in page and MAY_TAKE_A_FEW_MINUTES in page and "OK" in page
    assert len(outbox) == 1
    message = outbox[0]
    assert message.subject == "Retail Producer Portal Password Reset"
    assert message.to == ["testproducer@gmail.com"]
    password = temporary_password(message)
    assert re.fullmatch(r"[A-Za-z0-9]{9}", password)
    for words in ("Hello! We recently received a request to reset your password for Retail Producer Portal – if you "
                  "did not request, please call us at the number below.",
                  "Important: please close your web browser and clear your history and cache before you begin "
                  "these steps!",
                  f"Your temporary password is: {password}. You can now return to RPP and:",
                  "1. Enter your User Name and the temporary password above on the Login page.",
                  "2. The Change Password page opens right after you log in. Enter the temporary password above "
                  'as the "Current Password".',
                  "3. Enter a New Password – use a combination of 6-9 letters and numbers.",
                  "4. Confirm New Password by entering a second time.",
                  "5. Click Update Password to finish.",
                  "IL: (888) 313-5526", "TX: (888) 697-0679",
                  "State Farm agents - please call 1-844-250-8201 for assistance.",
                  "NOTE: Any replies to this email will not be received.", "https://portal.example.test/"):
        assert words in message.body
    stored = TemporaryPassword.get()
    assert stored.account.user_name == "jessicacamp"
    with app.app_context():
        assert passwords.verify_password(stored.password_hash, password) and password not in stored.password_hash
    assert timedelta(hours=4) - timedelta(minutes=1) < stored.expires_at - before <= timedelta(hours=4, minutes=1)
    assert SecurityEvent.select().where(SecurityEvent.kind == "password reset requested",
                                        SecurityEvent.account == stored.account).exists()
    for event in SecurityEvent.select():
        assert password not in event.detail


def test_temporary_password_email_lists_the_same_steps_as_html(app, portal, account, outbox):
    reset_password(portal)
    html = outbox[0].alternatives[0][0]
    assert ('<li>The Change Password page opens right after you log in. Enter the temporary password above as '
            'the &#34;Current Password&#34;.</li>') in html
    assert "Edit Profile" not in html and "Edit Profile" not in outbox[0].body


def test_temporary_password_email_adds_the_verification_code_step_when_two_step_is_on(app, portal, account, outbox):
    TwoStep.create(account=Account.get(Account.user_name == account), secret="unused here",
                   enabled_at=clock.utcnow())
    reset_password(portal)
    body = outbox[0].body
    assert "2. Enter the Verification Code your authenticator app shows, then click Verify." in body
    assert "3. The Change Password page opens right after you log in." in body
    assert "6. Click Update Password to finish." in body


def test_reset_password_with_the_agent_unique_id_instead(app, portal, account, outbox):
    reset_password(portal, email="", agent_id="111111111")
    assert len(outbox) == 1 and TEMPORARY.search(outbox[0].body)


def test_temporary_passwords_are_nine_mixed_letters_and_digits():
    passwords = {recovery.generate_temporary_password() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert re.fullmatch(r"[A-Za-z0-9]{9}", password)
        assert re.search(r"[0-9]", password) and re.search(r"[A-Za-z]", password)


def test_reset_password_needs_an_email_or_an_agent_id(portal, account, outbox):
    response = reset_password(portal, email="", agent_id="")
    assert response.status_code == 200
    assert "Please enter your E-mail Address or your Agent Unique ID." in visible(response)
    assert outbox == []


@pytest.mark.parametrize("data, message", [
    ({"user_name": "", "email": "testproducer@gmail.com"}, "Please enter a User Name."),
    ({"user_name": "jessicacamp", "email": "nope"}, "E-mail Address must be a valid e-mail address"),
    ({"user_name": "jessicacamp", "agent_id": "99999"}, "Agent Unique ID must be exactly 9 digits."),
])
def test_reset_password_shows_the_problem_beside_the_field(portal, account, outbox, data, message):
    response = ask(portal, "/reset-password", data)
    assert response.status_code == 200 and message in visible(response)
    assert outbox == [] and TemporaryPassword.select().count() == 0


@pytest.mark.parametrize("user_name, email, agent_id", [
    ("nobody", "testproducer@gmail.com", ""),          # unknown user name
    ("jessicacamp", "someone.else@example.com", ""),   # wrong e-mail address
    ("jessicacamp", "", "123456789"),                  # wrong Agent Unique ID
    ("jessicacamp", "testproducer@gmail.com", "123456789"),  # one of two given does not match
])
def test_reset_password_answers_the_same_when_nothing_matches(app, account, outbox, user_name, email, agent_id):
    app.config["RECOVERY_LIMIT_PER_ACCOUNT"] = "10 per hour"  # four requests about one user name here
    known, unknown = Portal(app.test_client()), Portal(app.test_client())
    for htmx in (False, True):
        a = reset_password(known, htmx=htmx)
        b = reset_password(unknown, user_name=user_name, email=email, agent_id=agent_id, htmx=htmx)
        assert a.status_code == b.status_code
        assert a.headers.get("Location") == b.headers.get("Location")
        assert without_token(a.get_data(as_text=True)) == without_token(b.get_data(as_text=True))
    assert without_token(known.get("/reset-password/sent").get_data(as_text=True)) == \
        without_token(unknown.get("/reset-password/sent").get_data(as_text=True))
    assert len(outbox) == 2  # the two for jessicacamp, none for the others


def test_reset_password_costs_one_hash_whether_or_not_anything_matched(portal, account, monkeypatch):
    calls = []
    real = recovery.hash_password
    monkeypatch.setattr(recovery, "hash_password", lambda password: calls.append(password) or real(password))
    reset_password(portal, user_name="nobody")
    reset_password(portal, user_name="jessicacamp", email="someone.else@example.com")
    reset_password(portal)
    assert len(calls) == 3


# Logging in with the temporary password.

def reset_and_read(portal, outbox, **kwargs):
    reset_password(portal, **kwargs)
    return temporary_password(outbox[-1])


def test_temporary_password_unlocks_a_locked_account_and_leads_to_change_password(app, portal, account, outbox):
    for _ in range(3):
        login(portal, password="wrong1")
    assert Account.get().is_locked()
    password = reset_and_read(portal, outbox)
    assert LOCKED in visible(login(portal))  # the old password is still refused while locked
    response = login(portal, password=password)
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/change-password"
    stored = Account.get()
    assert not stored.is_locked() and stored.failed_logins == 0
    assert TemporaryPassword.select().count() == 1  # it goes with Change Password
    session = LoginSession.get()
    with app.app_context():
        assert session.must_change_password and passwords.verify_password(session.temporary_password_hash, password)
    assert SecurityEvent.select().where(SecurityEvent.kind == "temporary password used").exists()


def test_until_the_password_is_changed_only_change_password_and_logout_answer(app, portal, account, outbox):
    login(portal, password=reset_and_read(portal, outbox))
    for path in ("/home", "/", "/select-state", "/account/profile", "/forgot-user-name"):
        response = portal.get(path)
        assert response.status_code in (302, 303), path
        assert response.headers["Location"] == "/account/change-password", path
    htmx = portal.get("/home", htmx=True)
    assert htmx.headers["HX-Redirect"] == "/account/change-password"
    assert portal.get("/contact-us").status_code == 200
    assert portal.get("/account/change-password").status_code == 200
    assert portal.post("/logout").status_code == 303
    signed_out = portal.get("/home")
    assert signed_out.status_code == 302 and "change-password" not in signed_out.headers["Location"]


def test_changing_the_password_lifts_the_gate(app, portal, account, outbox):
    password = reset_and_read(portal, outbox)
    login(portal, password=password)
    changed = portal.post("/account/change-password", {
        "current_password": password, "new_password": "newpw42", "confirm_new_password": "newpw42"})
    assert changed.status_code == 303
    assert portal.get("/home").status_code in (200, 302)
    assert portal.get("/home").headers.get("Location", "") != "/account/change-password"
    assert not LoginSession.get().must_change_password
    other = Portal(app.test_client())
    assert MISMATCH in visible(login(other))
    assert login(other, password="newpw42").status_code == 303


def test_temporary_password_works_until_the_password_is_changed(app, account, outbox):
    """A producer who left Change Password (a closed tab) is not stranded: the temporary password signs in
    again, straight to Change Password; the old password was retired at its first sign-in."""
    portal = Portal(app.test_client())
    password = reset_and_read(portal, outbox)
    assert login(portal, password=password).headers["Location"] == "/account/change-password"
    again = Portal(app.test_client())
    assert MISMATCH in visible(login(again))  # the old password
    assert login(again, password=password).headers["Location"] == "/account/change-password"
    assert again.post("/account/change-password", {"current_password": password, "new_password": "newpw42",
                                                   "confirm_new_password": "newpw42"}).status_code == 303
    third = Portal(app.test_client())
    assert MISMATCH in visible(login(third, password=password))
    assert login(third, password="newpw42").headers["Location"] != "/account/change-password"


def test_temporary_password_expires_after_four_hours(app, portal, account, outbox, monkeypatch):
    password = reset_and_read(portal, outbox)
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(hours=4, minutes=1))
    assert MISMATCH in visible(login(portal, password=password))


@pytest.mark.settings(TEMPORARY_PASSWORD_HOURS=1)
def test_temporary_password_lifetime_is_a_setting(portal, account, outbox, monkeypatch):
    password = reset_and_read(portal, outbox)
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=61))
    assert MISMATCH in visible(login(portal, password=password))


def test_a_newer_temporary_password_replaces_the_older(app, account, outbox):
    portal = Portal(app.test_client())
    first = reset_and_read(portal, outbox)
    second = reset_and_read(portal, outbox)
    assert first != second and TemporaryPassword.select().count() == 1
    assert MISMATCH in visible(login(Portal(app.test_client()), password=first))
    assert login(portal, password=second).status_code == 303


def test_the_old_password_keeps_working_until_the_temporary_one_is_used(app, portal, account, outbox):
    reset_and_read(portal, outbox)
    response = login(portal)
    assert response.status_code == 303 and response.headers["Location"] != "/account/change-password"
    assert portal.get("/home").status_code == 200
    assert TemporaryPassword.select().count() == 1
    assert not LoginSession.get().must_change_password


def test_once_the_temporary_password_is_used_the_old_one_no_longer_signs_in(app, account, outbox):
    portal = Portal(app.test_client())
    login(portal, password=reset_and_read(portal, outbox))  # then the producer walks away
    returning = Portal(app.test_client())
    assert MISMATCH in visible(login(returning))
    assert returning.get("/home").status_code == 302
    # The session the temporary password opened still sets a new one.
    assert portal.get("/home").headers["Location"] == "/account/change-password"


# Rate limits.

def test_past_the_accounts_hourly_quota_no_email_goes_but_the_answer_is_the_same(app, account, outbox):
    portal = Portal(app.test_client())
    answers = [reset_password(portal, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"}) for n in range(4)]
    assert [a.status_code for a in answers] == [303] * 4
    assert len(outbox) == 3  # the fourth sent nothing and replaced no temporary password
    with app.app_context():
        assert passwords.verify_password(TemporaryPassword.get().password_hash, temporary_password(outbox[-1]))
    event = SecurityEvent.select().where(SecurityEvent.kind == "password reset requested").order_by(
        SecurityEvent.id.desc()).get()
    assert event.detail == "hourly e-mail limit reached; no e-mail"
    unmatched = reset_password(portal, user_name="someoneelse", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert comparable(answers[3]) == comparable(answers[2]) == comparable(unmatched)
    # The quota is the account's: the user name request counts toward it too.
    assert forgot_user_name(portal, environ_base={"REMOTE_ADDR": "10.0.0.10"}).status_code == 303
    assert len(outbox) == 3


def test_user_name_e_mails_stop_at_the_accounts_quota_without_a_429(app, portal, account, outbox):
    answers = [forgot_user_name(portal, email=email) for email in
               ("testproducer@gmail.com", "TESTPRODUCER@gmail.com", "testproducer@gmail.com",
                "testproducer@gmail.com")]
    assert [a.status_code for a in answers] == [303] * 4 and len(outbox) == 3
    assert comparable(answers[3]) == comparable(answers[0])


def test_wrong_details_never_use_up_the_producers_quota(app, account, outbox):
    stranger = Portal(app.test_client())
    for _ in range(10):
        assert reset_password(stranger, email="attacker@example.com").status_code == 303
    assert reset_password(stranger).status_code == 429  # the stranger's address is spent
    producer = Portal(app.test_client())
    assert reset_password(producer, environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 303
    assert len(outbox) == 1 and outbox[0].to == ["testproducer@gmail.com"]


def test_eleventh_request_from_one_client_address_is_refused(app, portal, account, outbox):
    for number in range(10):
        assert reset_password(portal, user_name=f"someone{number}").status_code == 303
    refused = forgot_user_name(portal)
    assert refused.status_code == 429
    assert outbox == []
    other_address = forgot_user_name(portal, environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert other_address.status_code == 303 and len(outbox) == 1


def test_forms_with_mistakes_and_page_views_do_not_count(app, portal, account, outbox):
    for _ in range(5):
        portal.get("/reset-password")
        assert reset_password(portal, email="not-an-address").status_code == 200
    for _ in range(3):
        assert reset_password(portal).status_code == 303
    assert len(outbox) == 3


@pytest.mark.settings(RECOVERY_LIMIT_PER_ADDRESS="1 per hour")
def test_recovery_limits_are_settings(portal):
    assert reset_password(portal, user_name="nobody").status_code == 303
    assert reset_password(portal, user_name="nobody").status_code == 429


def test_each_new_app_starts_with_fresh_limits(tmp_path, database):
    for _ in range(2):
        app = create_app(settings(tmp_path, RECOVERY_LIMIT_PER_ADDRESS="1 per hour"))
        assert reset_password(Portal(app.test_client()), user_name="nobody").status_code == 303


def test_a_forged_host_does_not_change_the_link_in_the_email(portal, account, outbox):
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    # Each form is loaded from the forged host too, so the session cookie belongs to it.
    portal.get("/reset-password", headers=dict(forged))
    assert reset_password(portal, headers=dict(forged)).status_code == 303
    portal.get("/forgot-user-name", headers=dict(forged))
    assert forgot_user_name(portal, headers=dict(forged)).status_code == 303
    assert len(outbox) == 2
    for message in outbox:
        html = message.alternatives[0][0]
        assert "https://portal.example.test/" in message.body and "https://portal.example.test/" in html
        assert "evil.example" not in message.body and "evil.example" not in html


def test_temporary_password_is_never_in_a_page_or_event(app, portal, account, outbox):
    reset_password(portal)
    password = temporary_password(outbox[0])
    page = portal.get("/reset-password/sent").get_data(as_text=True)
    assert password not in page
    assert all(password not in e.detail for e in SecurityEvent.select())


def test_temporary_password_does_not_outlive_its_email_in_the_database(app, portal, account, outbox):
    from rpp.models import OutboxMessage
    reset_password(portal)
    password = temporary_password(outbox[0])
    sent = OutboxMessage.get(OutboxMessage.subject == "Retail Producer Portal Password Reset")
    assert sent.sent_at is not None
    assert password not in sent.body_text and password not in sent.body_html
