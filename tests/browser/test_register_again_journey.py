"""After a rejection, signing in says why and whom to call, and Register Again leads to a pending
registration Producer Services can activate — with JavaScript on and off."""
from playwright.sync_api import expect

from rpp.messages import text
from rpp.registration import activation
from rpp.states import PRODUCER_SERVICES
from tests.browser.journeys import (
    activate,
    button,
    fill_state,
    heading,
    link,
    registrations,
    says,
    sign_in,
    sign_in_to_home,
)
from tests.helpers import make_account

REASON = "The Agent Unique ID belongs to another agency."


def test_a_rejected_producer_registers_again_and_is_activated(app, page, js):
    make_account(app, activate=False)
    with app.app_context():
        activation.reject("jessicacamp", "TX", REASON, by="alice")
    sign_in(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(text("sign_in.not_activated_closed"))
    expect(alert).to_contain_text(text("sign_in.closed.rejected", state="Texas", reason=REASON))
    expect(alert).to_contain_text(text("sign_in.closed.contact", state="Texas", number=PRODUCER_SERVICES["TX"]))
    number = alert.get_by_role("link", name=PRODUCER_SERVICES["TX"])
    expect(number).to_have_attribute("href", "tel:+18886970679")
    for width in (320, 375):  # on a phone the number stays on one line
        page.set_viewport_size({"width": width, "height": 700})
        assert number.evaluate("link => link.getClientRects().length") == 1
    link(page, "Register Again").click()
    expect(heading(page, "Register Again", 1)).to_be_visible()
    assert page.title() == "Register Again – Retail Producer Portal"
    fill_state(page, "TX")
    button(page, "Continue").click()
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    assert registrations(app) == {("jessicacamp", "TX"): "pending"}

    sign_in(page)
    expect(says(page, text("sign_in.not_activated"))).to_be_visible()
    activate(app)
    sign_in_to_home(page)
