"""axe-core on every page in every state: zero violations of any impact; registration by keyboard alone.

axe runs inside the page, so these pages have JavaScript on. The states a browser without JavaScript
reaches (full pages after a plain POST) are checked with htmx blocked, so the forms post as plain forms.
"""
import re

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from rpp.messages import text
from rpp.models import StateRegistration
from rpp.registration import activation
from rpp.staff import staff_users as staff
from rpp.states import BCBS_STATES
from tests.browser.journeys import (
    AGENT_IDS,
    LOCKED,
    TEMPORARY_PASSWORD,
    accounts,
    button,
    failed_email,
    fill_account,
    fill_state,
    heading,
    link,
    lose_the_session,
    open_context,
    open_menu,
    password_input,
    says,
    settle,
    sign_in,
    state_group,
    textbox,
    wait_for_mail,
)
from tests.helpers import STAFF_PASSWORD, add_staff_user, make_account, staff_code

AXE = Axe()


def invisible_text(results):
    """Text in exactly its background's colour: axe files a 1:1 contrast under "incomplete", not as a
    violation (it might be deliberately hidden), but on this portal it is always a bug."""
    for check in results.response["incomplete"]:
        nodes = [node for node in check["nodes"]
                 if any(isinstance(item.get("data"), dict) and item["data"].get("messageKey") == "equalRatio"
                        for item in node["any"])]  # some checks' data is a plain string
        if check["id"] == "color-contrast" and nodes:
            yield dict(check, help="Text is the same colour as its background", nodes=nodes)


def assert_accessible(page, state):
    """axe-core finds no violation, of any impact, in this state of the page."""
    found = violations(page)
    assert not found, f"{state} ({page.url}):\n" + "\n".join(found)


def violations(page):
    """Every axe violation, of any impact, as one line each (with WCAG 2.2's 2.5.8 Target Size, which axe
    leaves off by default). Waits for the page's load event first: after a form's redirect, the heading can
    be visible while the stylesheet is still on its way, and axe would measure unstyled targets (seen once,
    target-size on the menu toggles, while the machine was busy)."""
    page.wait_for_load_state("load")
    results = AXE.run(page, options={"resultTypes": ["violations", "incomplete"],
                                     "rules": {"target-size": {"enabled": True}}})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + ", ".join(" ".join(n["target"]) for n in v["nodes"])
            for v in results.response["violations"] + list(invisible_text(results))]


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("width", [320, 1280])
def test_every_gallery_state_passes_axe_and_fits_the_width(browser, galleries, width, language):
    """Each page and fragment of the template gallery (every state the portal draws), in English and in
    Spanish (longer words), at a phone's width (and a 1280 px window at 400 % zoom) and a desktop's: no axe
    violation of any impact, and the page never scrolls sideways (1.4.10 Reflow)."""
    outdir, states = galleries[language]
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    failures = []
    for state in states:
        if state["kind"] == "e-mail":
            continue
        page.goto((outdir / f"{state['slug']}.html").as_uri())
        failures += [f"{state['slug']}: {line}" for line in violations(page)]
        if page.evaluate("document.documentElement.scrollWidth") > width:
            failures.append(f"{state['slug']}: the page scrolls sideways at {width} px")
    context.close()
    assert len(states) > 90 and not failures, "\n".join(failures)


@pytest.fixture(params=["htmx", "plain"])
def axe_page(request, browser, live_server):
    """JavaScript on; "plain" blocks htmx, so every form posts and answers with a full page."""
    context = open_context(browser, live_server, js=True)
    if request.param == "plain":
        context.route(re.compile(r"/htmx\.min\.js$"), lambda route: route.abort())
    yield context.new_page()
    context.close()


def test_sign_in_recovery_and_public_pages(app, axe_page):
    page = axe_page
    make_account(app)
    make_account(app, user_name="pendingproducer", states=("IL",), activate=False)
    page.goto("/")
    assert_accessible(page, "sign-in")
    open_menu(page, "Menu")
    assert_accessible(page, "sign-in with the Menu open")
    sign_in(page, password="wrong1")
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "sign-in, wrong password")
    sign_in(page, password="wrong2")
    sign_in(page, password="wrong3")
    expect(page.get_by_role("alert")).to_contain_text(LOCKED)
    assert_accessible(page, "sign-in, locked")
    sign_in(page, user_name="pendingproducer")
    expect(page.get_by_role("alert")).to_contain_text("not been activated")
    assert_accessible(page, "sign-in, not activated")
    page.goto("/contact-us")
    assert_accessible(page, "contact us")
    page.goto("/no-such-page")
    assert_accessible(page, "page not found")

    page.goto("/forgot-user-name")
    assert_accessible(page, "forgot user name")
    button(page, "Submit").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "forgot user name, errors")
    textbox(page, "Agent Unique ID").fill("999999999")
    textbox(page, "E-mail Address").fill("testproducer@gmail.com")
    button(page, "Submit").click()
    expect(says(page, "We sent your user name")).to_be_visible()
    assert_accessible(page, "forgot user name, sent")

    page.goto("/reset-password")
    assert_accessible(page, "reset password")
    textbox(page, "User Name").fill("jessicacamp")
    button(page, "Submit").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "reset password, errors")
    app.config["RECOVERY_LIMIT_PER_ADDRESS"] = "3 per hour"  # read at each request
    for attempt in range(4):  # the fourth request from one address in the hour is refused
        page.goto("/reset-password")
        textbox(page, "User Name").fill("jessicacamp")
        textbox(page, "E-mail Address").fill("testproducer@gmail.com")
        button(page, "Submit").click()
        if attempt < 3:
            expect(says(page, "We sent a temporary password")).to_be_visible()
        if attempt == 0:
            assert_accessible(page, "reset password, sent")
    expect(heading(page, "Please try again later", 1)).to_be_visible()
    assert_accessible(page, "reset password, too many requests")


def test_registration_states(app, axe_page):
    page = axe_page
    page.goto("/register")
    assert_accessible(page, "registration")
    fill_account(page, user_name="j", confirm="abc124")
    fill_state(page, "TX", zip_code="1", agent_id="123")
    fill_state(page, "IL")
    button(page, "Continue").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "registration, errors")
    fill_account(page)
    fill_state(page, "TX")
    button(page, "Continue").click()
    expect(heading(page, "Confirm Your Registration", 1)).to_be_visible()
    assert_accessible(page, "registration, confirmation")
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    assert_accessible(page, "registration, submitted")


def test_inline_validation_error_state(js_page):
    page = js_page
    page.goto("/register")
    for name, value in (("First Name", "J0"), ("User Name", "j"), ("Last Name", "")):
        textbox(page, name).fill(value)
        textbox(page, name).press("Tab")
    group = state_group(page, "TX")
    settle(page)
    page.get_by_role("checkbox", name="Register for Texas").check()
    textbox(group, "Phone").fill("12")
    textbox(group, "Phone").press("Tab")
    expect(textbox(group, "Phone")).to_have_attribute("aria-invalid", "true")
    expect(textbox(page, "User Name")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "registration, inline errors")


def test_signed_in_pages(app, axe_page):
    page = axe_page
    make_account(app, states=("TX", "IL"))
    sign_in(page)
    expect(heading(page, "Select a State", 1)).to_be_visible()
    assert_accessible(page, "select a state")
    page.get_by_role("radio", name="Texas").check()
    button(page, "Continue").click()
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
    assert_accessible(page, "home")
    open_menu(page, "Account")
    assert_accessible(page, "home with the Account menu open")
    audit_edit_profile(page)
    audit_change_password(page)
    audit_register_another_state(page)


def audit_edit_profile(page):
    """Edit Profile: as it opens, with errors, and updated."""
    page.goto("/account/profile")
    assert_accessible(page, "edit profile")
    details = page.get_by_role("group", name="Texas Registration Information")
    textbox(details, "Phone").fill("12")
    textbox(details, "E-mail Address").fill("not an address")
    settle(page)
    button(page, "Update Profile").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "edit profile, errors")
    textbox(details, "Phone").fill("815-555-1212")
    textbox(details, "E-mail Address").fill("jessica@example.com")
    password_input(page, "Your Password").fill("bcbs4tx9")  # a new e-mail address needs it
    settle(page)
    button(page, "Update Profile").click()
    expect(says(page, "Your profile has been updated.")).to_be_visible()
    assert_accessible(page, "profile updated")


def audit_change_password(page):
    """Change Password (on Edit Profile): with errors, and updated."""
    page.goto("/account/profile")
    password_input(page.locator("#password-panel"), "Current Password").fill("wrong1")
    password_input(page, "New Password").fill("abc")
    button(page, "Update Password").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "change password, errors")
    password_input(page.locator("#password-panel"), "Current Password").fill("bcbs4tx9")
    password_input(page, "New Password").fill("newpw42")
    password_input(page, "Confirm New Password").fill("newpw42")
    button(page, "Update Password").click()
    expect(says(page, "Your password has been updated.")).to_be_visible()
    assert_accessible(page, "password updated")


def audit_register_another_state(page):
    """Register for Another State: the form, its errors, confirmation, submitted, and no state left."""
    page.goto("/account/register-another-state")
    assert_accessible(page, "register for another state")
    button(page, "Continue").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "register for another state, errors")
    for code in ("MT", "NM", "OK"):
        fill_state(page, code)
    button(page, "Continue").click()
    expect(heading(page, "Confirm Oklahoma Registration Information")).to_be_visible()
    assert_accessible(page, "register for another state, confirmation")
    button(page, "Submit Registration").click()
    expect(heading(page, "Registration Information Submitted", 1)).to_be_visible()
    assert_accessible(page, "register for another state, submitted")
    page.goto("/account/register-another-state")
    all_registered = text("registration.all_states_registered", states=", ".join(BCBS_STATES.values()))
    expect(says(page, all_registered)).to_be_visible()
    assert_accessible(page, "register for another state, none left")


def test_forced_change_password_page(app, js_page, outbox):
    page = js_page
    make_account(app)
    page.goto("/reset-password")
    textbox(page, "User Name").fill("jessicacamp")
    textbox(page, "Agent Unique ID").fill(AGENT_IDS["TX"])
    button(page, "Submit").click()
    expect(says(page, "We sent a temporary password")).to_be_visible()
    reset = wait_for_mail(app, outbox, "Retail Producer Portal Password Reset")
    temporary = TEMPORARY_PASSWORD.search(reset.body).group(1)
    sign_in(page, password=temporary)
    expect(heading(page, "Change Password", 1)).to_be_visible()
    assert_accessible(page, "change password after a temporary password")


def test_staff_console(app, axe_page):
    page = axe_page
    with app.app_context():
        add_staff_user("alice")
    make_account(app, states=("TX", "IL"), activate=False)
    make_account(app, user_name="lockedproducer", states=("MT",))
    audit_staff_sign_in(app, page)
    audit_queue(page)
    audit_search(page)
    failed_email()
    audit_failed_email(page)
    audit_roster_upload(page)
    audit_staff_users(page)


def audit_staff_sign_in(app, page):
    """Staff sign-in: a wrong password, then the Verification Code step with a wrong code."""
    page.goto("/staff/login")
    assert_accessible(page, "staff sign-in")
    textbox(page, "User Name").fill("alice")
    password_input(page, "Password").fill("wrong password")
    button(page, "Login").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "staff sign-in, wrong password")
    password_input(page, "Password").fill(STAFF_PASSWORD)
    button(page, "Login").click()
    expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
    assert_accessible(page, "staff two-step verification at sign-in")
    textbox(page, "Verification Code").fill("000000")
    button(page, "Verify").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "staff two-step verification at sign-in, wrong code")
    textbox(page, "Verification Code").fill(staff_code(app))
    button(page, "Verify").click()


def audit_queue(page):
    """The queue: filtered, a bulk decision without a row or reason, Activate Selected and its answer."""
    expect(heading(page, "Registrations", 1)).to_be_visible()
    assert_accessible(page, "staff queue")
    page.get_by_label("State", exact=True).select_option("TX")
    button(page, "Show").click()
    expect(page.locator("#queue-count")).to_have_text(re.compile("Showing 1–1 of 1"))
    assert_accessible(page, "staff queue, filtered")
    link(page, "Clear filters").click()
    button(page, "Reject Selected").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "staff queue, reject selected without a row or reason")
    link(page, "Select all on this page").click()
    expect(page.get_by_role("checkbox", name="Select jessicacamp in Texas")).to_be_checked()
    button(page, "Activate Selected").click()
    expect(heading(page, "Activate 2 registrations?", 1)).to_be_visible()
    assert_accessible(page, "staff activate selected, confirm")
    button(page, "Activate 2 registrations").click()
    expect(says(page, "Activated 2 of 2 selected registrations.")).to_be_visible()
    assert_accessible(page, "staff queue, after activate selected")


def audit_search(page):
    """Find a producer, its results and the producer's page."""
    link(page, "Find a producer").click()
    expect(heading(page, "Find a producer", 1)).to_be_visible()
    assert_accessible(page, "staff search")
    textbox(page, "User name, name, Agent ID or e-mail").fill("camp")
    button(page, "Search").click()
    expect(page.get_by_role("link", name="jessicacamp")).to_be_visible()
    assert_accessible(page, "staff search results")
    page.get_by_role("link", name="jessicacamp").click()
    expect(heading(page, "jessicacamp", 1)).to_be_visible()
    assert_accessible(page, "staff producer account")


def audit_failed_email(page):
    """Failed e-mail, and one retried."""
    link(page, "Failed e-mail").click()
    expect(heading(page, "Failed e-mail", 1)).to_be_visible()
    assert_accessible(page, "staff failed e-mail")
    button(page, "Retry Retail Producer Portal E-mail Address Changed to testproducer@gmail.com").click()
    expect(page.get_by_role("main").get_by_text("queued again.")).to_be_visible()
    assert_accessible(page, "staff failed e-mail, retried")


def audit_roster_upload(page):
    """Roster upload: without a file, and a file's preview."""
    link(page, "Roster upload").click()
    expect(heading(page, "Roster upload", 1)).to_be_visible()
    assert_accessible(page, "staff roster upload")
    button(page, "Upload roster").click()
    expect(page.get_by_role("alert").or_(page.locator(".field--error"))).not_to_have_count(0)
    assert_accessible(page, "staff roster upload, no file")
    page.get_by_label("Roster file (CSV)").set_input_files(files=[{
        "name": "roster.csv", "mimeType": "text/csv",
        "buffer": b"state,agent_id,first_name,last_name\nTX,999999998,Demo,Producer\nTX,999999997,Ivy,New\n"}])
    button(page, "Upload roster").click()
    expect(button(page, "Apply")).to_be_visible()
    assert_accessible(page, "staff roster upload, preview")


def audit_staff_users(page):
    """Staff users (adding one without a name or password) and Change your password."""
    link(page, "Staff users").click()
    expect(heading(page, "Staff users", 1)).to_be_visible()
    assert_accessible(page, "staff users")
    button(page, "Add staff user").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "staff users, add without a name or password")
    link(page, "Password").click()
    expect(heading(page, "Change your password", 1)).to_be_visible()
    assert_accessible(page, "staff change password")


def test_registration_by_keyboard_alone(app, js_page):
    """Tab, type, Space and Enter only: from the sign-in page to Registration Information Submitted."""
    page = js_page
    page.goto("/")
    keyboard = page.keyboard

    def tab_to(locator, limit=120):
        for _ in range(limit):
            keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    tab_to(link(page, "Register"))
    keyboard.press("Enter")
    expect(heading(page, "Registration", 1)).to_be_visible()
    for name, value in (("First Name", "Jessica"), ("Last Name", "Camp"), ("User Name", "jessicacamp")):
        tab_to(textbox(page, name))
        keyboard.type(value)
    for label in ("Password", "Confirm Password"):
        tab_to(password_input(page, label))
        keyboard.type("bcbs4tx9")
    tab_to(page.get_by_role("checkbox", name="Register for Texas"))
    keyboard.press("Space")
    texas = state_group(page, "TX")
    for name, value in (("Address 1", "123 Test St"), ("City", "Testville"), ("Zip Code", "99999"),
                        ("Agent Unique ID", AGENT_IDS["TX"]), ("Phone", "8155551212"),
                        ("E-mail Address", "testproducer@gmail.com")):
        tab_to(textbox(texas, name))
        keyboard.type(value)
    tab_to(button(page, "Continue"))
    keyboard.press("Enter")
    expect(heading(page, "Confirm Your Registration", 1)).to_be_focused()
    tab_to(button(page, "Submit Registration"))
    keyboard.press("Enter")
    expect(heading(page, "Registration Information Submitted", 1)).to_be_focused()
    assert [a.user_name for a in accounts(app)] == ["jessicacamp"]


def test_two_states_by_keyboard_alone_with_same_details_as(app, js_page):
    """3.3.7 Redundant Entry: Illinois typed in full, Texas by its Agent Unique ID and "Same details as
    Illinois" (Tab, type, Space and Enter only); both states are submitted with Illinois's details."""
    page = js_page
    page.goto("/register")
    keyboard = page.keyboard

    def tab_to(locator, limit=150):
        for _ in range(limit):
            keyboard.press("Tab")
            if locator.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {locator}")

    for name, value in (("First Name", "Jessica"), ("Last Name", "Camp"), ("User Name", "jessicacamp")):
        tab_to(textbox(page, name))
        keyboard.type(value)
    for label in ("Password", "Confirm Password"):
        tab_to(password_input(page, label))
        keyboard.type("bcbs4tx9")
    illinois, texas = state_group(page, "IL"), state_group(page, "TX")
    tab_to(page.get_by_role("checkbox", name="Register for Illinois"))
    keyboard.press("Space")
    for name, value in (("Company Name", "Camp Agency"), ("Address 1", "1 Lake St"), ("City", "Chicago"),
                        ("Zip Code", "60601"), ("Agent Unique ID", AGENT_IDS["IL"]), ("Phone", "3125550100"),
                        ("E-mail Address", "jessica@campagency.com")):
        tab_to(textbox(illinois, name))
        keyboard.type(value)
    tab_to(page.get_by_role("checkbox", name="Register for Texas"))
    keyboard.press("Space")
    expect(illinois.get_by_role("checkbox", name=re.compile("^Same details as"))).to_be_hidden()
    same = texas.get_by_role("checkbox", name="Same details as Illinois", exact=True)
    tab_to(same)
    keyboard.press("Space")
    expect(textbox(texas, "City")).to_have_value("Chicago")
    expect(textbox(texas, "Company Name")).to_have_value("Camp Agency")
    expect(textbox(texas, "Agent Unique ID")).to_have_value("")
    tab_to(textbox(texas, "Agent Unique ID"))
    keyboard.type(AGENT_IDS["TX"])
    expect(same).to_be_checked()  # the Agent Unique ID is the state's own: typing it keeps the box ticked
    tab_to(button(page, "Continue"))
    keyboard.press("Enter")
    expect(heading(page, "Confirm Your Registration", 1)).to_be_focused()
    texas_details = page.get_by_role("main").inner_text().split("Confirm Texas Registration Information")[1]
    assert "Chicago" in texas_details and "Camp Agency" in texas_details and AGENT_IDS["TX"] in texas_details
    tab_to(button(page, "Submit Registration"))
    keyboard.press("Enter")
    expect(heading(page, "Registration Information Submitted", 1)).to_be_focused()
    with app.app_context():
        rows = {r.state: (r.city, r.company_name, r.agent_id) for r in StateRegistration.select()}
    assert rows == {"IL": ("Chicago", "Camp Agency", AGENT_IDS["IL"]),
                    "TX": ("Chicago", "Camp Agency", AGENT_IDS["TX"])}


def test_editing_a_copied_field_unticks_same_details_as(js_page):
    page = js_page
    page.goto("/register")
    fill_state(page, "IL", city="Chicago")
    page.get_by_role("checkbox", name="Register for Texas").check()
    texas = state_group(page, "TX")
    same = texas.get_by_role("checkbox", name="Same details as Illinois", exact=True)
    same.check()
    expect(textbox(texas, "City")).to_have_value("Chicago")
    textbox(state_group(page, "IL"), "City").fill("Springfield")  # the first state's change follows
    expect(textbox(texas, "City")).to_have_value("Springfield")
    textbox(texas, "City").fill("Austin")  # this state's own now
    expect(same).not_to_be_checked()
    expect(textbox(texas, "City")).to_have_value("Austin")


def test_focus_is_visible(js_page):
    """Keyboard focus shows a visible outline on links, inputs and buttons."""
    page = js_page
    page.goto("/")
    textbox(page, "User Name").focus()
    outline = textbox(page, "User Name").evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline != "none"


def test_the_axe_check_fails_on_a_serious_violation(js_page):
    """The check above really runs axe: an unlabelled input and an image without alt text fail it."""
    page = js_page
    page.goto("/")
    page.evaluate("""() => {
        const main = document.querySelector("main");
        main.insertAdjacentHTML("beforeend", '<input type="text" name="x"><img src="/static/favicon.svg">');
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, "sign-in with broken markup")
    assert "label" in str(failure.value) and "image-alt" in str(failure.value)


def test_two_step_pages(app, axe_page):
    page = axe_page
    make_account(app)
    sign_in(page)
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
    page.goto("/account/two-step/set-up")
    assert_accessible(page, "set up two-step verification")
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    textbox(page, "Verification Code").fill("000000")
    button(page, "Verify").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "set up two-step verification, wrong code")
    textbox(page, "Verification Code").fill(pyotp.TOTP(key).now())
    button(page, "Verify").click()
    expect(heading(page, "Save Your Recovery Codes", 1)).to_be_visible()
    assert_accessible(page, "save your recovery codes")
    page.goto("/account/profile")
    assert_accessible(page, "edit profile with two-step on and Where You're Signed In")
    page.goto("/")  # signed in: goes home; sign out and back in for the Verification Code step
    open_menu(page, "Account")
    button(page, "Logout").click()
    sign_in(page)
    expect(heading(page, "Two-Step Verification", 1)).to_be_visible()
    assert_accessible(page, "two-step verification at sign-in")
    textbox(page, "Verification Code").fill("000000")
    button(page, "Verify").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "two-step verification at sign-in, wrong code")


def test_rejected_sign_in_and_register_again(app, axe_page):
    page = axe_page
    make_account(app, activate=False)
    with app.app_context():
        activation.reject("jessicacamp", "TX", "The Agent Unique ID belongs to another agency.", by="alice")
    sign_in(page)
    expect(page.get_by_role("alert")).to_contain_text(text("sign_in.not_activated_closed"))
    assert_accessible(page, "sign-in, every registration rejected")
    link(page, "Register Again").click()
    expect(heading(page, "Register Again", 1)).to_be_visible()
    assert_accessible(page, "register again")


def test_expired_form(app, axe_page):
    page = axe_page
    make_account(app)
    page.goto("/")
    textbox(page, "User Name").fill("jessicacamp")
    lose_the_session(page)
    button(page, "Login").click()
    expect(says(page, text("error.form_expired"))).to_be_visible()
    assert_accessible(page, "sign-in, sent from an expired page")


def test_staff_two_step_set_up_pages(app, axe_page):
    page = axe_page
    with app.app_context():
        staff.create_staff_user("dana", STAFF_PASSWORD)  # never signed in: no two-step yet
    page.goto("/staff/login")
    textbox(page, "User Name").fill("dana")
    password_input(page, "Password").fill(STAFF_PASSWORD)
    button(page, "Login").click()
    expect(heading(page, "Set Up Two-Step Verification", 1)).to_be_visible()
    assert_accessible(page, "staff set up two-step verification")
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    textbox(page, "Verification Code").fill("000000")
    button(page, "Verify").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    assert_accessible(page, "staff set up two-step verification, wrong code")
    textbox(page, "Verification Code").fill(pyotp.TOTP(key).now())
    button(page, "Verify").click()
    expect(heading(page, "Save Your Recovery Codes", 1)).to_be_visible()
    assert_accessible(page, "staff save your recovery codes")
    link(page, "Continue to the Console").click()
    link(page, "Staff users").click()
    expect(heading(page, "Staff users", 1)).to_be_visible()
    assert_accessible(page, "staff users with their two-step")
