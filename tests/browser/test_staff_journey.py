"""Producer Services in the console: activate, reject with a reason, find a producer and unlock, retry failed e-mail."""
import re

from playwright.sync_api import expect

from rpp.staff import service as staff
from tests.browser.journeys import (button, failed_email, heading, link, open_context, password_input,
                                    registrations, says, sign_in, textbox, wait_for_mail)
from tests.helpers import make_account

STAFF_PASSWORD = "correct horse battery"


def console_sign_in(app, page):
    with app.app_context():
        staff.create_staff_user("alice", STAFF_PASSWORD)
    page.goto("/staff/login")
    textbox(page, "User Name").fill("alice")
    password_input(page, "Password").fill(STAFF_PASSWORD)
    button(page, "Login").click()
    expect(heading(page, "Pending registrations", 1)).to_be_visible()


def test_staff_activate_and_reject_from_the_queue(app, page, js, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    console_sign_in(app, page)
    texas = page.get_by_role("row", name=re.compile(r"^jessicacamp .* TX "))
    expect(texas).to_contain_text("999999999")
    button(page, "Activate jessicacamp in Texas").click()
    expect(says(page, "Activated jessicacamp in Texas; e-mail queued for testproducer@gmail.com.")).to_be_visible()
    wait_for_mail(app, outbox, "Retail Producer Portal Registration Activation")

    button(page, "Reject jessicacamp in Illinois").click()  # a reason is needed
    expect(page.get_by_role("textbox", name="Reason")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("textbox", name="Reason").fill("The Agent Unique ID belongs to another producer.")
    button(page, "Reject jessicacamp in Illinois").click()
    expect(says(page, re.compile("Rejected jessicacamp in Illinois"))).to_be_visible()
    assert registrations(app) == {("jessicacamp", "TX"): "active", ("jessicacamp", "IL"): "rejected"}
    rejection = wait_for_mail(app, outbox, "Retail Producer Portal Registration Not Activated")
    assert "belongs to another producer" in rejection.body


def test_staff_finds_a_locked_producer_and_unlocks(app, page, js, browser, live_server):
    make_account(app)
    producer = open_context(browser, live_server, js=js).new_page()
    for attempt in ("wrong1", "wrong2", "wrong3"):
        sign_in(producer, password=attempt)
    console_sign_in(app, page)
    link(page, "Find a producer").click()
    textbox(page, "User name, name, Agent ID or e-mail").fill("camp")
    button(page, "Search").click()
    link(page, "jessicacamp").click()
    expect(heading(page, "jessicacamp", 1)).to_be_visible()
    expect(page.get_by_role("region", name="Lock status")).to_contain_text("Locked")
    button(page, "Unlock").click()
    expect(says(page, "Unlocked jessicacamp.")).to_be_visible()
    expect(page.get_by_role("region", name="Lock status")).to_contain_text("Not locked.")
    sign_in(producer)
    expect(heading(producer, "Hello, Jessica Camp", 1)).to_be_visible()
    producer.context.close()


def test_staff_retries_failed_mail(app, page, js, outbox):
    make_account(app)
    failed_email()
    console_sign_in(app, page)
    link(page, "Failed e-mail").click()
    expect(heading(page, "Failed e-mail", 1)).to_be_visible()
    row = page.get_by_role("row", name=re.compile(r"^Retail Producer Portal E-mail Address Changed"))
    expect(row).to_contain_text("after 3 tries: 550 5.1.1 Mailbox unavailable")
    button(page, "Retry Retail Producer Portal E-mail Address Changed to testproducer@gmail.com").click()
    expect(says(page, "E-mail to testproducer@gmail.com queued again.")).to_be_visible()
    wait_for_mail(app, outbox, "Retail Producer Portal E-mail Address Changed")  # the local backend sends it at once
    link(page, "Find a producer").click()
    textbox(page, "User name, name, Agent ID or e-mail").fill("camp")
    button(page, "Search").click()
    link(page, "jessicacamp").click()
    recent = page.get_by_role("region", name="Recent e-mail")
    expect(recent.get_by_role("row", name=re.compile(r"^Retail Producer Portal E-mail Address Changed"))).to_contain_text("Sent")
