"""No dead end after a rejection: signing in says which states were not activated, why, and whom to
call, and the same account registers again for them without staff help."""
import pytest

from rpp.messages import text
from rpp.models import StateRegistration
from rpp.registration import activation
from rpp.states import PRODUCER_SERVICES
from tests.helpers import AGENT_IDS, login, make_account, registration_form, state_registration, visible

REASON = "The Agent Unique ID belongs to another agency."


def reject(app, state="TX", reason=REASON):
    """Producer Services rejects jessicacamp's registration in `state`."""
    with app.app_context():
        activation.reject("jessicacamp", state, reason, by="alice")


def state_fields(code, **overrides):
    """One state's block of the registration form, as posted."""
    fields = {key: value for key, value in registration_form(states=(code,)).items() if key.startswith(code)}
    return {**fields, **overrides}


@pytest.fixture
def rejected(app):
    """jessicacamp, registered for Texas, rejected by Producer Services."""
    make_account(app, activate=False)
    reject(app)
    return "jessicacamp"


def test_signing_in_after_a_rejection_says_why_and_whom_to_call(portal, rejected):
    page = visible(login(portal))
    assert text("sign_in.not_activated_closed") in page
    assert text("sign_in.not_activated") not in page
    assert text("sign_in.closed.rejected", state="Texas", reason=REASON) in page
    assert text("sign_in.closed.contact", state="Texas", number=PRODUCER_SERVICES["TX"]) in page
    assert text("sign_in.register_again") in page and "Register Again" in page
    assert portal.get("/home").status_code == 302  # not signed in


def test_signing_in_after_a_revocation_says_so(app, portal):
    make_account(app)
    with app.app_context():
        activation.revoke(state_registration("TX"), "Contract ended.", by="alice")
    page = visible(login(portal))
    assert text("sign_in.closed.revoked", state="Texas", reason="Contract ended.") in page
    assert text("sign_in.closed.contact", state="Texas", number=PRODUCER_SERVICES["TX"]) in page


def test_a_pending_state_keeps_its_message_and_the_rejected_one_is_told_too(app, portal):
    make_account(app, states=("TX", "IL"), activate=False)
    reject(app, "IL")
    page = visible(login(portal))
    assert text("sign_in.not_activated") in page and text("sign_in.not_activated_closed") not in page
    assert text("sign_in.closed.rejected", state="Illinois", reason=REASON) in page
    assert text("sign_in.closed.contact", state="Illinois", number=PRODUCER_SERVICES["IL"]) in page
    assert "Texas: not activated" not in page


def test_a_wrong_password_tells_nothing_about_the_registrations(portal, rejected):
    page = visible(login(portal, password="wrong1"))
    assert REASON not in page and "Register Again" not in page
    assert portal.get("/register/again").headers["Location"] == "/"


def test_registering_again_with_the_same_account_waits_for_producer_services(app, portal, console, rejected, outbox):
    login(portal)
    form = portal.get("/register/again")
    assert "Register Again" in visible(form) and "Jessica" in visible(form)
    assert portal.post("/register/again", state_fields("TX", **{"TX-company_name": "Camp Agency"})).status_code == 303
    confirm = portal.get("/register/again/confirm")
    assert "Camp Agency" in visible(confirm)
    assert portal.post("/register/again/submit").headers["Location"] == "/register/again/submitted"
    assert "Registration Information Submitted" in visible(portal.get("/register/again/submitted"))
    stored = state_registration("TX")
    assert (stored.status, stored.company_name, stored.rejection_reason, stored.decided_at) == (
        "pending", "Camp Agency", None, None)
    assert StateRegistration.select().count() == 1
    assert text("sign_in.not_activated") in visible(login(portal))

    assert console.post(f"/staff/registrations/{stored.id}/activate").status_code == 303
    assert state_registration("TX").status == "active"
    assert login(portal).headers["Location"] == "/home"


def test_registering_again_can_add_another_state(app, portal, rejected):
    login(portal)
    portal.post("/register/again", {**state_fields("TX"), **state_fields("IL")})
    portal.post("/register/again/submit")
    assert {r.state: r.status for r in StateRegistration.select()} == {"TX": "pending", "IL": "pending"}


def test_registering_again_offers_only_the_states_not_pending_or_active(app, portal):
    make_account(app, states=("TX", "IL"), activate=False)
    reject(app, "IL")
    login(portal)
    page = visible(portal.get("/register/again"))
    assert "Register for Illinois" in page and "Register for Texas" not in page
    refused = portal.post("/register/again", state_fields("TX"))
    assert text("registration.select_a_state") in visible(refused)
    assert (state_registration("TX").status, state_registration("IL").status) == ("pending", "rejected")


def test_the_offer_to_register_again_ends(app, portal, rejected, monkeypatch):
    from datetime import timedelta

    from rpp import clock
    login(portal)
    later = clock.utcnow() + timedelta(minutes=app.config["REGISTER_AGAIN_MINUTES"] + 1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert portal.get("/register/again").headers["Location"] == "/"
    assert portal.post("/register/again", state_fields("TX")).headers["Location"] == "/"
    assert state_registration("TX").status == "rejected"


def test_an_active_producer_registers_a_rejected_state_again_from_another_state(app, portal):
    make_account(app, states=("TX", "IL"), activate=False)
    with app.app_context():
        activation.activate("jessicacamp", "TX")
    reject(app, "IL")
    login(portal)
    assert "Register for Illinois" in visible(portal.get("/account/register-another-state"))
    portal.post("/account/register-another-state", state_fields("IL"))
    portal.post("/account/register-another-state/submit")
    assert state_registration("IL").status == "pending"


def test_a_new_account_registers_a_rejected_agent_id(app, portal, rejected):
    portal.post("/register", registration_form(user_name="jcamp2"))
    assert portal.post("/register/submit").status_code == 303
    assert state_registration("TX", "jcamp2").status == "pending"
    assert state_registration("TX").agent_id == AGENT_IDS["TX"] == state_registration("TX", "jcamp2").agent_id


def test_each_registration_flow_counts_its_own_continues_per_address(app, portal, rejected):
    login(portal)
    for _ in range(11):
        assert portal.post("/register/again", state_fields("TX")).status_code == 303
    assert portal.post("/register", registration_form(user_name="jcamp2")).status_code == 303


REGISTER_AGAIN_TEXT = ("You can register again for Texas: once you have checked your information (your Agent Unique "
                       "ID especially), log in to the Retail Producer Portal at https://portal.example.test/ with "
                       "your User Name and Password and select Register Again.")


def html_part(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.parametrize("decision", ["reject", "revoke"])
def test_the_rejection_and_revocation_emails_offer_register_again_with_the_reason_and_number(app, outbox,
                                                                                           decision):
    make_account(app, activate=decision == "revoke")
    with app.app_context():
        if decision == "reject":
            activation.reject("jessicacamp", "TX", REASON, by="alice")
        else:
            activation.revoke(state_registration("TX"), REASON, by="alice")
    [message] = outbox[-1:]
    assert f"Reason: {REASON}" in message.body and REGISTER_AGAIN_TEXT in message.body
    assert "please contact Texas Producer Services toll free at (888) 697-0679." in message.body
    html = html_part(message)
    assert f"<p>Reason: {REASON}</p>" in html
    assert ('<a href="https://portal.example.test/">log in to the Retail Producer Portal</a> with your User Name '
            'and Password and select <strong>Register Again</strong>.') in html
    assert ('toll free at <a class="tel" href="tel:+18886970679">(888) 697-0679</a>.') in html


def test_the_producer_services_number_on_the_sign_in_page_is_a_tel_link(portal, rejected):
    page = login(portal).get_data(as_text=True)
    contact = text("sign_in.closed.contact", state="Texas", number="NUMBER").split("NUMBER")
    assert (contact[0] + '<a class="tel" href="tel:+18886970679">(888) 697-0679</a>' + contact[1]) in page
