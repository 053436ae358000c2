"""Two-Step Verification: setting up an authenticator app, recovery codes, turning it off."""
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from rpp import clock
from rpp.messages import text
from rpp.models import RecoveryCode, SecurityEvent, TwoStep
from rpp.twostep import crypto
from tests.helpers import login, make_account, visible

PASSWORD = "Qz7wv3Rt"


@pytest.fixture
def account(app):
    return make_account(app, password=PASSWORD)


@pytest.fixture
def signed_in(portal, account):
    assert login(portal, password=PASSWORD).status_code == 303
    return portal


def setup_key(portal):
    """The setup key as the page shows it (groups of four)."""
    page = portal.get("/account/two-step/set-up").get_data(as_text=True)
    key = re.search(r'<code class="setup-key" id="setup-key">([A-Z2-7 ]+)</code>', page).group(1)
    return key.replace(" ", "")


def code_at(secret, moment):
    return pyotp.TOTP(secret).at(moment.timestamp())


def now_utc():
    return clock.utcnow().replace(tzinfo=UTC)


def enrol(portal):
    """Set up two-step with the current code; returns (secret, recovery codes as shown)."""
    secret = setup_key(portal)
    response = portal.post("/account/two-step/set-up", {"code": pyotp.TOTP(secret).now()})
    response.close()  # mail goes out once the response has been sent
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/two-step/recovery-codes")
    page = portal.get("/account/two-step/recovery-codes")
    codes = re.findall(r"<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})</code></li>", page.get_data(as_text=True))
    return secret, codes


def test_edit_profile_offers_to_set_up_two_step(signed_in):
    page = visible(signed_in.get("/account/profile"))
    assert "Two-Step Verification" in page
    assert "Set Up Two-Step Verification" in page


def test_setup_page_shows_qr_code_setup_key_and_verification_code(signed_in, app):
    response = signed_in.get("/account/two-step/set-up")
    page = visible(response)
    assert "Set Up Two-Step Verification" in page
    assert "Verification Code" in page and "Verify" in page
    key = setup_key(signed_in)
    assert len(key) == 32
    qr = signed_in.get("/account/two-step/qr-code.svg")
    assert qr.status_code == 200
    assert qr.mimetype == "image/svg+xml"
    assert qr.get_data(as_text=True).startswith("<svg")
    assert qr.headers["Cache-Control"] == "no-store"
    # Reloading the page keeps the same key (the app may already have scanned it).
    assert setup_key(signed_in) == key


def test_setup_page_adds_the_key_to_an_app_on_the_same_phone(signed_in):
    """Setting up on the phone that holds the app: an otpauth:// link (what the QR code holds), and a code
    field that brings up the number pad and offers the code from the app or a text message."""
    key = setup_key(signed_in)
    page = signed_in.get("/account/two-step/set-up").get_data(as_text=True)
    link = re.search(r'<a href="(otpauth://[^"]+)">Add to authenticator app</a>', page).group(1)
    assert link == pyotp.TOTP(key).provisioning_uri(name="jessicacamp", issuer_name="Retail Producer Portal").replace(
        "&", "&amp;")
    code = re.search(r'<input [^>]*name="code"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in code and 'autocomplete="one-time-code"' in code


def test_secret_is_stored_encrypted(signed_in, app):
    key = setup_key(signed_in)
    with app.app_context():
        stored = TwoStep.get().secret
        assert key not in stored
        assert crypto.decrypt(stored) == key


def test_a_separate_two_step_key_setting_is_used_when_set(app):
    with app.app_context():
        token = crypto.encrypt("SECRET")
        app.config["TWO_STEP_KEY"] = "another key entirely"
        assert crypto.decrypt(token) is None
        assert crypto.decrypt(crypto.encrypt("SECRET")) == "SECRET"


def test_wrong_code_is_refused_beside_the_field(signed_in, app):
    setup_key(signed_in)
    response = signed_in.post("/account/two-step/set-up", {"code": "000000"})
    assert response.status_code == 200
    assert "That Verification Code is not correct." in visible(response)
    assert 'id="code-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert TwoStep.get().enabled_at is None


def test_right_code_turns_it_on_and_shows_ten_recovery_codes_once(signed_in, app, outbox):
    secret, codes = enrol(signed_in)
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        row = TwoStep.get()
        assert row.enabled_at is not None
        stored = [code.code_hash for code in RecoveryCode.select()]
        assert len(stored) == 10
        assert not any(code.replace("-", "") in stored for code in codes)  # hashed, never in the clear
        assert SecurityEvent.select().where(SecurityEvent.kind == "two-step turned on").count() == 1
    # Shown once: the page does not show them again.
    again = signed_in.get("/account/two-step/recovery-codes")
    assert again.status_code == 302
    assert [m.subject for m in outbox] == ["Retail Producer Portal Two-Step Verification Turned On"]
    assert secret not in outbox[0].body and codes[0] not in outbox[0].body
    page = visible(signed_in.get("/account/profile"))
    assert "Two-step verification is on" in page and "10 unused recovery codes" in page


def test_setup_with_htmx_swaps_errors_in_place_and_redirects_on_success(signed_in):
    secret = setup_key(signed_in)
    wrong = signed_in.post("/account/two-step/set-up", {"code": "123"}, htmx=True)
    assert wrong.status_code == 200 and "<html" not in wrong.get_data(as_text=True)
    assert "That Verification Code is not correct." in visible(wrong)
    right = signed_in.post("/account/two-step/set-up", {"code": pyotp.TOTP(secret).now()}, htmx=True)
    assert right.headers["HX-Redirect"].endswith("/account/two-step/recovery-codes")


def test_new_recovery_codes_replace_the_old_set(signed_in, app):
    _, codes = enrol(signed_in)
    response = signed_in.post("/account/two-step/recovery-codes", {"new_codes-current_password": PASSWORD})
    assert response.status_code == 303
    page = signed_in.get("/account/two-step/recovery-codes").get_data(as_text=True)
    new_codes = re.findall(r"<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})</code></li>", page)
    assert len(new_codes) == 10 and not set(new_codes) & set(codes)
    with app.app_context():
        hashes = {code.code_hash for code in RecoveryCode.select()}
        assert crypto.code_hash(codes[0].replace("-", "")) not in hashes
        assert crypto.code_hash(new_codes[0].replace("-", "")) in hashes


def test_turning_it_off_needs_the_current_password_and_a_code(signed_in, app, outbox):
    secret, codes = enrol(signed_in)
    wrong_password = signed_in.post("/account/two-step/turn-off", {"turn_off-current_password": "nope12",
                                                                   "turn_off-code": pyotp.TOTP(secret).now()})
    assert "Your Current Password is not correct." in visible(wrong_password)
    wrong_code = signed_in.post("/account/two-step/turn-off", {"turn_off-current_password": PASSWORD,
                                                               "turn_off-code": "999999"})
    assert "That Verification Code is not correct." in visible(wrong_code)
    with app.app_context():
        assert TwoStep.select().count() == 1
    # A recovery code works in the same field.
    response = signed_in.post("/account/two-step/turn-off", {"turn_off-current_password": PASSWORD,
                                                             "turn_off-code": codes[0]})
    response.close()
    assert response.status_code == 303
    page = visible(signed_in.get(response.headers["Location"]))
    assert "Two-step verification is now off." in page and "Set Up Two-Step Verification" in page
    with app.app_context():
        assert TwoStep.select().count() == 0 and RecoveryCode.select().count() == 0
    assert outbox[-1].subject == "Retail Producer Portal Two-Step Verification Turned Off"


def test_wrong_passwords_when_turning_it_off_count_toward_the_lockout(signed_in, app):
    _secret, _ = enrol(signed_in)
    for _ in range(2):
        signed_in.post("/account/two-step/turn-off", {"turn_off-current_password": "wrong1", "turn_off-code": "0"})
    third = signed_in.post("/account/two-step/turn-off", {"turn_off-current_password": "wrong1", "turn_off-code": "0"})
    assert third.status_code == 303 and third.headers["Location"].endswith("/")
    assert "temporarily locked" in visible(signed_in.get("/"))
    assert signed_in.get("/account/profile").status_code == 302  # every session ended


def test_an_app_code_is_accepted_only_once(signed_in, app):
    secret, _ = enrol(signed_in)
    from rpp.twostep import service
    with app.app_context():
        row = TwoStep.get()
        moment = clock.utcnow() + timedelta(minutes=5)
        code = code_at(secret, moment.replace(tzinfo=UTC))
        assert service.check_code(row, code, now=moment) is service.CodeCheck.APP
        assert service.check_code(TwoStep.get(), code, now=moment) is service.CodeCheck.WRONG


def test_a_recovery_code_is_accepted_only_once(signed_in, app):
    _, codes = enrol(signed_in)
    from rpp.twostep import service
    with app.app_context():
        assert service.check_code(TwoStep.get(), codes[3].lower()) is service.CodeCheck.RECOVERY
        assert service.check_code(TwoStep.get(), codes[3]) is service.CodeCheck.WRONG
        assert service.status(TwoStep.get().account).recovery_codes_left == 9


def test_qr_code_is_only_for_a_setup_under_way(signed_in):
    assert signed_in.get("/account/two-step/qr-code.svg").status_code == 404
    enrol(signed_in)
    assert signed_in.get("/account/two-step/qr-code.svg").status_code == 404


# Sign-in with two steps.

def sign_in_with_two_step(app, portal):
    """An account with two-step turned on, signed out; returns (secret, recovery codes)."""
    assert login(portal, password=PASSWORD).status_code == 303
    secret, codes = enrol(portal)
    portal.post("/logout")
    return secret, codes


def next_code(app, secret):
    """A code the app shows next (the current one was used at setup)."""
    moment = datetime.now(UTC) + timedelta(seconds=30)
    return pyotp.TOTP(secret).at(moment.timestamp())


def test_right_password_asks_for_the_verification_code(app, portal, account):
    secret, _ = sign_in_with_two_step(app, portal)
    response = login(portal, password=PASSWORD)
    assert response.status_code == 303 and response.headers["Location"].endswith("/login/verify")
    page = visible(portal.get("/login/verify"))
    assert "Two-Step Verification" in page and "Verification Code" in page and "Verify" in page
    assert portal.get("/home").status_code == 302  # not signed in yet
    done = portal.post("/login/verify", {"code": next_code(app, secret)})
    assert done.status_code == 303 and done.headers["Location"].endswith("/home")
    assert portal.get("/home").status_code == 200


def test_three_wrong_codes_lock_the_account_with_the_guides_message(app, portal, account):
    sign_in_with_two_step(app, portal)
    login(portal, password=PASSWORD)
    for _ in range(2):
        wrong = portal.post("/login/verify", {"code": "000000"})
        assert "That Verification Code is not correct." in visible(wrong)
    third = portal.post("/login/verify", {"code": "000000"})
    assert third.status_code == 303 and third.headers["Location"].endswith("/")
    assert "your account is now temporarily locked" in visible(portal.get("/"))
    with app.app_context():
        from rpp.models import Account
        assert Account.get().is_locked()
    # The right password is now refused with the locked message too.
    again = login(portal, password=PASSWORD)
    assert again.status_code == 200 and "temporarily locked" in visible(again)


def test_a_right_password_does_not_start_the_code_count_again(app, portal, account):
    """Else two codes could be tried after each right password, for ever."""
    sign_in_with_two_step(app, portal)
    login(portal, password=PASSWORD)
    portal.post("/login/verify", {"code": "000000"})
    portal.post("/login/verify", {"code": "000000"})
    assert login(portal, password=PASSWORD).headers["Location"].endswith("/login/verify")
    locked = portal.post("/login/verify", {"code": "000000"})
    assert locked.status_code == 303 and "temporarily locked" in visible(portal.get("/"))
    with app.app_context():
        from rpp.models import Account
        assert Account.get().is_locked()


def test_a_recovery_code_signs_in_once_and_tells_the_producer(app, portal, account, outbox):
    _, codes = sign_in_with_two_step(app, portal)
    login(portal, password=PASSWORD)
    done = portal.post("/login/verify", {"code": codes[0]})
    done.close()
    assert done.status_code == 303
    assert outbox[-1].subject == "Retail Producer Portal Recovery Code Used"
    assert "9 recovery codes left" in outbox[-1].body and codes[0] not in outbox[-1].body
    portal.post("/logout")
    login(portal, password=PASSWORD)
    refused = portal.post("/login/verify", {"code": codes[0]})
    assert "That Verification Code is not correct." in visible(refused)


def test_the_verification_step_expires_after_five_minutes(app, portal, account, monkeypatch):
    secret, _ = sign_in_with_two_step(app, portal)
    login(portal, password=PASSWORD)
    later = clock.utcnow() + timedelta(minutes=6)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    response = portal.post("/login/verify", {"code": next_code(app, secret)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/")
    assert "the Verification Code step ends after a few minutes" in visible(portal.get("/"))


def test_the_verification_step_needs_a_right_password_first(portal):
    response = portal.get("/login/verify")
    assert response.status_code in (302, 303) and response.headers["Location"].endswith("/")


def test_a_temporary_password_does_not_skip_the_second_step(app, portal, account, outbox):
    secret, _ = sign_in_with_two_step(app, portal)
    reset = portal.post("/reset-password", {"user_name": "jessicacamp", "email": "testproducer@gmail.com"})
    reset.close()
    temporary = re.search(r"Your temporary password is: (\w{9})\.", outbox[-1].body).group(1)
    response = login(portal, password=temporary)
    assert response.headers["Location"].endswith("/login/verify")
    done = portal.post("/login/verify", {"code": next_code(app, secret)})
    assert done.headers["Location"].endswith("/account/change-password")


def test_verification_with_htmx_swaps_the_error_in_place(app, portal, account):
    secret, _ = sign_in_with_two_step(app, portal)
    login(portal, password=PASSWORD)
    wrong = portal.post("/login/verify", {"code": "12"}, htmx=True)
    assert wrong.status_code == 200 and "<html" not in wrong.get_data(as_text=True)
    right = portal.post("/login/verify", {"code": next_code(app, secret)}, htmx=True)
    assert right.headers["HX-Redirect"].endswith("/home")


# The carrier's policy: TWO_STEP_REQUIRED.

@pytest.mark.settings(TWO_STEP_REQUIRED=True)
def test_when_required_a_producer_without_two_step_sets_it_up_before_anything_else(app, portal, account):
    response = login(portal, password=PASSWORD)
    assert response.status_code == 303
    home = portal.get(response.headers["Location"])
    assert home.status_code in (302, 303) and home.headers["Location"].endswith("/account/two-step/set-up")
    assert portal.get("/account/profile").headers["Location"].endswith("/account/two-step/set-up")
    page = visible(portal.get("/account/two-step/set-up"))
    assert "requires two-step verification" in page and "Back to Profile Page" not in page
    assert portal.get("/contact-us").status_code == 200
    secret = setup_key(portal)
    portal.post("/account/two-step/set-up", {"code": pyotp.TOTP(secret).now()})
    assert portal.get("/account/two-step/recovery-codes").status_code == 200
    assert portal.get("/home").status_code == 200


@pytest.mark.settings(TWO_STEP_REQUIRED=True)
def test_when_required_a_temporary_password_changes_the_password_first_then_enrols(app, portal, account, outbox):
    closed = portal.post("/reset-password", {"user_name": "jessicacamp", "email": "testproducer@gmail.com"})
    closed.close()
    temporary = re.search(r"Your temporary password is: (\w{9})\.", outbox[-1].body).group(1)
    response = login(portal, password=temporary)
    assert response.headers["Location"].endswith("/account/change-password")
    assert portal.get("/account/change-password").status_code == 200
    changed = portal.post("/account/change-password", {"current_password": temporary, "new_password": "Nw5pLx8k",
                                                       "confirm_new_password": "Nw5pLx8k"})
    assert changed.status_code == 303
    assert "Your password has been updated." in visible(portal.get(changed.headers["Location"]))
    assert portal.get("/home").headers["Location"].endswith("/account/two-step/set-up")


def test_two_step_is_not_required_by_default(app, portal, account):
    login(portal, password=PASSWORD)
    assert portal.get("/home").status_code == 200


def test_producer_services_resets_two_step_for_a_producer_who_lost_the_phone(app, portal, account, console, outbox):
    sign_in_with_two_step(app, portal)
    with app.app_context():
        from rpp.models import Account
        producer_id = Account.get(Account.user_name == "jessicacamp").id
    page = visible(console.get(f"/staff/producers/{producer_id}"))
    assert "Two-step verification On since" in page and "Reset Two-Step Verification" in page
    no_reason = console.post(f"/staff/producers/{producer_id}/reset-two-step", {"two-step-reason": " "})
    assert text("staff.reset_two_step_reason") in visible(no_reason)
    with app.app_context():
        assert TwoStep.select().where(TwoStep.account == producer_id).count() == 1
    response = console.post(f"/staff/producers/{producer_id}/reset-two-step",
                            {"two-step-reason": "Lost phone; identity checked by phone call"})
    response.close()
    assert response.status_code == 303
    assert "Two-step verification reset for jessicacamp" in visible(console.get(response.headers["Location"]))
    with app.app_context():
        assert TwoStep.select().where(TwoStep.account == producer_id).count() == 0
        event = SecurityEvent.get(SecurityEvent.kind == "two-step reset by Producer Services")
        assert event.detail == "by alice: Lost phone; identity checked by phone call"
    assert outbox[-1].subject == "Retail Producer Portal Two-Step Verification Turned Off"
    assert "by Producer Services at your request" in outbox[-1].body
    assert login(portal, password=PASSWORD).headers["Location"].endswith("/home")  # no code asked
