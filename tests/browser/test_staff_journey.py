"""Producer Services in the console: the queue, Activate/Reject Selected, revoke, unlock, failed e-mail, roster
upload, staff users."""
import re

from playwright.sync_api import expect

from rpp.messages import text
from rpp.staff import staff_users as staff
from tests.browser import journeys
from tests.browser.journeys import (
    button,
    complete_two_step_setup,
    failed_email,
    heading,
    link,
    open_context,
    password_input,
    registrations,
    says,
    sign_in,
    submit,
    textbox,
    wait_for_mail,
)
from tests.helpers import STAFF_LOCKED, STAFF_PASSWORD, add_producer, add_staff_user, make_account, staff_code


def console_sign_in(app, page):
    """alice (the first staff user, so an admin, with two-step set up) signs in to the console."""
    with app.app_context():
        add_staff_user("alice")
    journeys.console_sign_in(app, page)


def test_staff_activates_and_rejects_selected_rows_after_confirming(app, page, js, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    make_account(app, user_name="otherproducer", states=("MT",), activate=False)
    console_sign_in(app, page)
    page.get_by_role("checkbox", name="Select jessicacamp in Texas").check()
    page.get_by_role("checkbox", name="Select jessicacamp in Illinois").check()
    button(page, "Activate Selected").click()
    expect(heading(page, "Activate 2 registrations?", 1)).to_be_visible()
    expect(says(page, "One activation e-mail to testproducer@gmail.com (jessicacamp) listing Illinois and Texas.")
           ).to_be_visible()
    button(page, "Activate 2 registrations").click()
    expect(says(page, "Activated 2 of 2 selected registrations.")).to_be_visible()
    message = wait_for_mail(app, outbox, "Retail Producer Portal Registration Activation")
    assert "Illinois: (888) 313-5526" in message.body and "Texas: (888) 697-0679" in message.body

    page.get_by_role("checkbox", name="Select otherproducer in Montana").check()
    button(page, "Reject Selected").click()  # a reason is needed
    expect(page.get_by_role("textbox", name=re.compile("^Reason"))).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("checkbox", name="Select otherproducer in Montana")).to_be_checked()
    page.get_by_role("textbox", name=re.compile("^Reason")).fill("The Agent Unique ID belongs to another producer.")
    button(page, "Reject Selected").click()
    button(page, "Reject 1 registration").click()
    expect(says(page, "Rejected 1 of 1 selected registration.")).to_be_visible()
    assert registrations(app) == {("jessicacamp", "TX"): "active", ("jessicacamp", "IL"): "active",
                                  ("otherproducer", "MT"): "rejected"}
    rejection = wait_for_mail(app, outbox, "Retail Producer Portal Registration Not Activated")
    assert "belongs to another producer" in rejection.body


def test_queue_filters_and_pages_with_and_without_javascript(app, page, js):
    with app.app_context():
        for number in range(1, 56):
            add_producer(number, states=("TX",) if number % 2 else ("IL",))
    console_sign_in(app, page)
    expect(page.locator("#queue-count")).to_have_text("Showing 1–50 of 55")
    link(page, "Next").click()
    expect(page.locator("#queue-count")).to_have_text("Showing 51–55 of 55")
    expect(page).to_have_url(re.compile(r"/staff/\?page=2$"))
    page.get_by_label("State", exact=True).select_option("IL")
    textbox(page, "Search").fill("Number1")
    button(page, "Show").click()
    expect(page.locator("#queue-count")).to_have_text("Showing 1–5 of 5")  # 10, 12, 14, 16, 18
    expect(page).to_have_url(re.compile(r"q=Number1"))
    page.reload()  # the address holds the whole view
    expect(page.locator("#queue-count")).to_have_text("Showing 1–5 of 5")


def test_queue_fits_1024_and_1280_pixels_without_sideways_scroll(app, page, js):
    with app.app_context():
        for number in range(1, 30):
            add_producer(number, first_name="Maximiliana-Josefina", last_name="Oppenheimer-Featherstonehaugh",
                         email=f"maximiliana.oppenheimer.featherstonehaugh{number}@a-long-agency-name.example.com")
    console_sign_in(app, page)
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        expect(page.locator("#queue-count")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        table = page.locator("table.queue")
        assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
        expect(button(page, "Reject Selected")).to_be_in_viewport()


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
    changed = recent.get_by_role("row", name=re.compile(r"^Retail Producer Portal E-mail Address Changed"))
    expect(changed).to_contain_text("Sent")


def test_staff_revokes_an_active_registration_and_the_agent_id_is_free(app, page, js, outbox):
    make_account(app, states=("TX",))
    console_sign_in(app, page)
    link(page, "Find a producer").click()
    textbox(page, "User name, name, Agent ID or e-mail").fill("999999999")
    button(page, "Search").click()
    link(page, "jessicacamp").click()
    button(page, "Revoke Texas").click()  # a reason is needed
    expect(page.get_by_role("textbox", name="Reason")).to_have_attribute("aria-invalid", "true")
    page.get_by_role("textbox", name="Reason").fill("Contract ended")
    button(page, "Revoke Texas").click()
    expect(says(page, re.compile("Agent ID 999999999 is free to register again."))).to_be_visible()
    assert "Reason: Contract ended" in wait_for_mail(app, outbox, "Retail Producer Portal Registration Revoked").body
    assert registrations(app) == {("jessicacamp", "TX"): "revoked"}


def test_roster_upload_previews_then_applies(app, page, js, tmp_path):
    from rpp.models import RosterEntry
    roster_file = tmp_path / "roster.csv"
    roster_file.write_text("state,agent_id,first_name,last_name\nMT,222222222,Jessica,Camp\n"
                           "MT,222222229,Ivy,Newcomer\n")
    console_sign_in(app, page)
    link(page, "Roster upload").click()
    page.get_by_label("Roster file (CSV)").set_input_files(str(roster_file))
    button(page, "Upload roster").click()
    expect(says(page, re.compile("For Montana: 1 new ID, 0 changed names, 0 removed, 1 unchanged."))).to_be_visible()
    with app.app_context():
        assert RosterEntry.get_or_none(RosterEntry.agent_id == "222222229") is None  # not before Apply
    button(page, "Apply").click()
    expect(says(page, "Roster imported: 1 added, 0 updated, 1 unchanged, 0 removed.")).to_be_visible()
    with app.app_context():
        assert RosterEntry.get(RosterEntry.agent_id == "222222229").first_name == "Ivy"


def test_admin_adds_a_clerk_who_changes_the_initial_password(app, page, js, browser, live_server):
    console_sign_in(app, page)  # alice, the first staff user: an admin
    link(page, "Staff users").click()
    textbox(page, "User Name").fill("carol")
    page.get_by_label(re.compile("^Clerk")).check()
    password_input(page, "Initial password").fill("initial passphrase")
    button(page, "Add staff user").click()
    expect(says(page, re.compile("Staff user carol created as clerk."))).to_be_visible()

    carol = open_context(browser, live_server, js=js).new_page()
    carol.goto("/staff/login")
    textbox(carol, "User Name").fill("carol")
    password_input(carol, "Password").fill("initial passphrase")
    button(carol, "Login").click()
    expect(heading(carol, "Change your password", 1)).to_be_visible()
    password_input(carol, "Current password").fill("initial passphrase")
    password_input(carol, "New password").fill("carol's own passphrase")
    password_input(carol, "Confirm new password").fill("carol's own passphrase")
    button(carol, "Change password").click()
    complete_two_step_setup(carol)  # then two-step, before the queue
    link(carol, "Continue to the Console").click()
    expect(heading(carol, "Registrations", 1)).to_be_visible()
    expect(link(carol, "Staff users")).to_have_count(0)  # a clerk
    carol.context.close()


def test_three_wrong_staff_passwords_lock_and_say_when_the_lock_lifts(app, page, js):
    with app.app_context():
        staff.create_staff_user("alice", STAFF_PASSWORD)
    page.goto("/staff/login")
    for attempt in ("wrong one", "wrong two", "wrong three"):
        textbox(page, "User Name").fill("alice")
        password_input(page, "Password").fill(attempt)
        submit(page, "Login")
    expect(page.get_by_role("alert")).to_contain_text(f"{text('staff.sign_in.locked')} {text('sign_in.lock_lifts')}")


# Two-step verification is required for staff.

def test_a_new_staff_user_sets_up_two_step_at_first_sign_in_then_verifies_each_sign_in(app, page, js):
    with app.app_context():
        staff.create_staff_user("dana", STAFF_PASSWORD)  # as `flask staff create dana` does: no two-step yet
    page.goto("/staff/login")
    textbox(page, "User Name").fill("dana")
    password_input(page, "Password").fill(STAFF_PASSWORD)
    button(page, "Login").click()
    expect(says(page, "Every Producer Services staff user signs in with two-step verification.")).to_be_visible()
    page.goto("/staff/")  # nothing else in the console first
    complete_two_step_setup(page)
    link(page, "Continue to the Console").click()
    expect(heading(page, "Registrations", 1)).to_be_visible()
    button(page, "Logout").click()

    page.goto("/staff/login")
    textbox(page, "User Name").fill("dana")
    password_input(page, "Password").fill(STAFF_PASSWORD)
    button(page, "Login").click()
    expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
    textbox(page, "Verification Code").fill("000000")
    button(page, "Verify").click()
    expect(says(page, "That Verification Code is not correct.").first).to_be_visible()
    textbox(page, "Verification Code").fill(staff_code(app, "dana"))
    button(page, "Verify").click()
    expect(heading(page, "Registrations", 1)).to_be_visible()


def test_three_wrong_staff_codes_lock_with_the_staff_lockout_message(app, page, js):
    with app.app_context():
        add_staff_user("alice")
    page.goto("/staff/login")
    textbox(page, "User Name").fill("alice")
    password_input(page, "Password").fill(STAFF_PASSWORD)
    button(page, "Login").click()
    for attempt in range(3):
        expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
        textbox(page, "Verification Code").fill("000000")
        button(page, "Verify").click()
        if attempt < 2:
            expect(says(page, "That Verification Code is not correct.").first).to_be_visible()
    expect(heading(page, "Producer Services Sign-In", 1)).to_be_visible()
    expect(says(page, STAFF_LOCKED)).to_be_visible()


def test_an_admin_resets_a_clerks_two_step(app, page, js):
    console_sign_in(app, page)  # alice, the first staff user: an admin
    with app.app_context():
        add_staff_user("bob")
    link(page, "Staff users").click()
    button(page, "Reset two-step of bob").click()
    expect(says(page, "Two-step verification reset for bob: they set it up again at their next sign-in.")
           ).to_be_visible()
    expect(button(page, "Reset two-step of bob")).to_have_count(0)
