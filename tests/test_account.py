"""Edit Your Profile, Register for Another State, Change Your Password and recent activity."""
import re
import threading
from datetime import timedelta

import pytest

from rpp import clock, passwords
from rpp.messages import text as text_of
from rpp.models import Account, LoginSession, SecurityEvent, StateRegistration, TemporaryPassword
from tests.helpers import (
    LOCKED,
    Portal,
    login,
    make_account,
    post_at_once,
    profile_form,
    registration_form,
    text,
    visible,
)

PASSWORD = "Qz7wv3Rt"
NEW_PASSWORD = "Nw5pLx8k"


@pytest.fixture
def account(app):
    return make_account(app, password=PASSWORD)


@pytest.fixture
def signed_in(portal, account):
    """A producer signed in to an account active in Texas only."""
    assert login(portal, password=PASSWORD).status_code == 303
    return portal


def texas():
    return StateRegistration.get(StateRegistration.state == "TX")


def another_state_form(state="IL", agent_id="111111111", **overrides):
    data = registration_form(states=(state,))
    data = {key: value for key, value in data.items() if key.startswith(f"{state}-")}
    data[f"{state}-agent_id"] = agent_id
    data.update(overrides)
    return data


def change_form(current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return {"current_password": current, "new_password": new,
            "confirm_new_password": new if confirm is None else confirm}


# Edit Your Profile.

def test_account_menu_links_to_edit_profile(signed_in):
    assert 'href="/account/profile">Edit Profile</a>' in text(signed_in.get("/home"))


def test_edit_profile_needs_a_login(portal):
    response = portal.get("/account/profile")
    assert response.status_code == 302 and "/?next=" in response.headers["Location"]


def test_edit_profile_shows_read_only_name_user_name_and_agent_id(signed_in):
    response = signed_in.get("/account/profile")
    page, seen = text(response), visible(response)
    assert response.status_code == 200
    for words in ("Edit Profile", "First Name: Jessica", "Last Name: Camp", "User Name: jessicacamp",
                  "Agent Unique ID: 999999999", "Update Profile", "Register for Another State",
                  "Change Password", "Current Password", "New Password", "Confirm New Password",
                  "Update Password", "Recent Account Activity"):
        assert words in seen
    for name in ("first_name", "last_name", "user_name", "agent_id"):
        assert f'name="{name}"' not in page
    for name, value in (("company_name", "Producer Name Company"), ("address_1", "123 Test St"),
                        ("city", "Testville"), ("zip_code", "99999"), ("phone", "8155551212"),
                        ("email", "testproducer@gmail.com")):
        assert f'name="{name}"' in page and f'value="{value}"' in page
    assert '<option selected value="TX">Texas</option>' in page


def test_update_profile_stores_the_changes_and_says_so(signed_in):
    response = signed_in.post("/account/profile", profile_form(
        company_name="Camp Agency", address_1="500 Main St", address_2="Suite 2", city="Austin",
        zip_code="73301-0001", phone="512.555.0100", email="jess@campagency.com",
        password=PASSWORD))
    assert response.status_code == 303 and response.headers["Location"].endswith("/account/profile/updated")
    updated = signed_in.get("/account/profile/updated")
    assert "Your profile has been updated." in visible(updated)
    assert 'href="/account/profile">Back to Profile Page</a>' in text(updated)
    row = texas()
    assert (row.company_name, row.address_1, row.address_2, row.city, row.zip_code, row.phone, row.email) == \
        ("Camp Agency", "500 Main St", "Suite 2", "Austin", "73301-0001", "5125550100", "jess@campagency.com")
    event = SecurityEvent.get(SecurityEvent.kind == "profile changed")
    assert "Texas" in event.detail and "E-mail Address" in event.detail and "Phone" in event.detail
    # The message is shown once; a reload goes back to the profile.
    assert signed_in.get("/account/profile/updated").headers["Location"].endswith("/account/profile")


def test_update_profile_with_htmx_swaps_the_message_in_place(signed_in):
    response = signed_in.post("/account/profile", profile_form(city="Dallas"), htmx=True)
    assert response.status_code == 200 and "<html" not in text(response)
    assert "Your profile has been updated." in visible(response)
    assert "Back to Profile Page" in visible(response)
    assert "HX-Request" in response.headers["Vary"]
    assert texas().city == "Dallas"


BAD_PROFILE_FIELDS = [
    ("company_name", "x" * 101, "Company Name must be 100 characters or fewer."),
    ("company_name", "Acme\x00", text_of("field.printable", label="Company Name")),
    ("city", "Dal\u202elas", text_of("field.printable", label="City")),
    ("address_1", "", "Please enter your Address 1."),
    ("address_1", "x" * 101, "Address 1 must be 100 characters or fewer."),
    ("address_2", "x" * 101, "Address 2 must be 100 characters or fewer."),
    ("city", "", "Please enter your City."),
    ("city", "x" * 101, "City must be 100 characters or fewer."),
    ("address_state", "ZZ", "Please choose the State of your address."),
    ("zip_code", "", "Please enter your Zip Code."),
    ("zip_code", "9999", "Zip Code must be 5 digits or ZIP+4"),
    ("zip_code", "99999-12", "Zip Code must be 5 digits or ZIP+4"),
    ("phone", "", "Please enter your Phone."),
    ("phone", "555-1212", "Phone must be a 10-digit US number"),
    ("phone", "815-555-121x", "Phone must be a 10-digit US number"),
    ("email", "", "Please enter your E-mail Address."),
    ("email", "not-an-address", "E-mail Address must be a valid e-mail address"),
    ("email", "a@b", "E-mail Address must be a valid e-mail address"),
]


@pytest.mark.parametrize("name, value, message", BAD_PROFILE_FIELDS)
def test_bad_profile_value_is_refused_beside_its_field(signed_in, name, value, message):
    good_change = {"company_name": "Camp Agency"} if name != "company_name" else {"city": "Dallas"}
    response = signed_in.post("/account/profile", profile_form(**good_change, **{name: value}))
    page = text(response)
    assert response.status_code == 200
    assert message in visible(response)
    error_slot = re.search(rf'<p class="field-error" id="{name}-error"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert message in error_slot
    assert re.search(rf'<(input|select)[^>]*aria-invalid="true"[^>]*id="{name}"', page)
    assert (texas().company_name, texas().city) == ("Producer Name Company", "Testville")  # nothing stored
    assert not SecurityEvent.select().where(SecurityEvent.kind == "profile changed").exists()


@pytest.mark.parametrize("name, value, message", [f for f in BAD_PROFILE_FIELDS if f[0] != "address_state"])
def test_inline_validation_of_a_profile_field(signed_in, name, value, message):
    response = signed_in.post("/account/profile/validate", profile_form(**{name: value}), htmx=True,
                              trigger=name)
    fragment = text(response)
    assert message in fragment and "<html" not in fragment
    assert len(response.data) <= 1024


def test_profile_fields_are_checked_inline_where_they_are(signed_in):
    page = text(signed_in.get("/account/profile"))
    assert re.search(r'<input[^>]*hx-post="/account/profile/validate"[^>]*hx-target="#zip_code-error"[^>]*'
                     r'id="zip_code"', page)


def test_inline_validation_of_a_good_profile_field_and_an_unknown_one(signed_in):
    good = signed_in.post("/account/profile/validate", profile_form(), htmx=True, trigger="zip_code")
    assert good.status_code == 200 and text(good).strip() == ""
    for name in ("agent_id", "user_name", "csrf_token", ""):
        assert signed_in.post("/account/profile/validate", profile_form(), htmx=True,
                              trigger=name).status_code == 400


@pytest.mark.parametrize("name, value", [
    ("zip_code", "60601-1234"), ("phone", "8155551212"), ("phone", "815-555-1212"),
    ("email", "jess.camp+rpp@example.co.uk"), ("company_name", ""), ("address_2", ""),
    ("address_state", "DC"),
])
def test_good_profile_values_pass(signed_in, name, value):
    assert signed_in.post("/account/profile", profile_form(**{name: value}, password=PASSWORD)).status_code == 303


def test_forged_read_only_fields_change_nothing(signed_in):
    forged = profile_form(first_name="Mallory", last_name="Evil", user_name="mallory",
                          agent_id="123456789", state="IL", status="active", account="2",
                          password_hash="x", **{"TX-agent_id": "123456789"})
    assert signed_in.post("/account/profile", forged).status_code == 303
    account = Account.get()
    assert (account.first_name, account.last_name, account.user_name) == ("Jessica", "Camp", "jessicacamp")
    row = texas()
    assert (row.agent_id, row.state, row.status, row.account_id) == ("999999999", "TX", "active", account.id)
    assert StateRegistration.select().count() == 1


def test_a_post_without_the_optional_fields_stores_them_empty(signed_in):
    data = profile_form()
    del data["company_name"], data["address_2"]
    assert signed_in.post("/account/profile", data).status_code == 303
    assert (texas().company_name, texas().address_2) == ("", "")


def test_changed_email_address_is_told_to_the_old_address_too(signed_in, outbox):
    signed_in.post("/account/profile", profile_form(email="new.address@example.com", password=PASSWORD))
    assert sorted(message.to[0] for message in outbox) == ["new.address@example.com", "testproducer@gmail.com"]
    old = next(message for message in outbox if message.to == ["testproducer@gmail.com"])
    assert old.subject == "Retail Producer Portal E-mail Address Changed"
    assert "Texas registration of User Name jessicacamp was changed" in old.body
    assert "go to the new address, not to this one" in old.body
    assert "(888) 697-0679" in old.body
    assert "new.address@example.com" not in old.body


def test_the_new_address_gets_its_own_notice(signed_in, outbox):
    signed_in.post("/account/profile", profile_form(email="new.address@example.com", password=PASSWORD))
    new = next(message for message in outbox if message.to == ["new.address@example.com"])
    assert "This is now the address Retail Producer Portal e-mails about Texas are sent to." in new.body


def email_change_refused(response, field, message):
    """The change was refused beside `field`; nothing stored, nothing sent."""
    page = text(response)
    error_slot = re.search(rf'<p class="field-error" id="{field}-error"[^>]*>(.*?)</p>', page, re.S).group(1)
    return response.status_code == 200 and message in error_slot and texas().email == "testproducer@gmail.com"


@pytest.mark.parametrize("htmx", [False, True])
def test_a_stolen_session_cannot_change_the_email_address_without_the_current_password(signed_in, outbox, htmx):
    change = profile_form(email="attacker@example.com", city="Dallas")
    assert email_change_refused(signed_in.post("/account/profile", change, htmx=htmx), "password",
                                "Please enter your password to change your E-mail Address.")
    wrong = signed_in.post("/account/profile", dict(change, password="Wrong1234"), htmx=htmx)
    assert email_change_refused(wrong, "password", "Your Current Password is not correct.")
    assert outbox == [] and texas().city == "Testville" and Account.get().failed_logins == 1
    assert "Profile change refused: wrong current password" in visible(signed_in.get("/account/profile"))


def test_wrong_current_passwords_on_edit_profile_lock_the_account_and_end_every_session(app, signed_in):
    change = profile_form(email="attacker@example.com", password="Wrong1234")
    signed_in.post("/account/profile", change)
    signed_in.post("/account/change-password", change_form(current="Wrong1234"))  # the same count
    third = signed_in.post("/account/profile", change, htmx=True)
    assert third.headers["HX-Redirect"] == "/"
    assert LOCKED in visible(signed_in.get("/"))
    assert Account.get().is_locked() and LoginSession.select().count() == 0


def test_e_mail_address_changes_are_limited_per_day(app, signed_in, outbox, monkeypatch):
    for number in range(3):
        assert signed_in.post("/account/profile", profile_form(
            email=f"address{number}@example.com", password=PASSWORD)).status_code == 303
    assert len(outbox) == 6
    fourth = signed_in.post("/account/profile", profile_form(email="attacker@example.com", password=PASSWORD))
    assert fourth.status_code == 200 and len(outbox) == 6 and texas().email == "address2@example.com"
    assert ("You can change your E-mail Address at most 3 times a day. Please try again tomorrow, "
            "or call Producer Services.") in visible(fourth)
    second_change = profile_form(email="address2@example.com", city="Dallas")
    assert signed_in.post("/account/profile", second_change).status_code == 303
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(hours=24, minutes=1))
    login(signed_in, password=PASSWORD)  # the session itself lasted 12 hours
    assert signed_in.post("/account/profile", profile_form(
        email="tomorrow@example.com", password=PASSWORD)).status_code == 303


def test_ten_e_mail_changes_at_once_send_at_most_the_days_notices(app, account, outbox):
    browsers = [Portal(app.test_client()) for _ in range(10)]
    for browser in browsers:
        login(browser, password=PASSWORD)
        browser.get("/account/profile")
    start = threading.Barrier(10)

    def change(number):
        start.wait()
        browsers[number].post("/account/profile", profile_form(
            email=f"address{number}@example.com", password=PASSWORD))

    threads = [threading.Thread(target=change, args=(number,)) for number in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert SecurityEvent.select().where(SecurityEvent.kind == "e-mail address changed").count() == 3
    # (the ten sign-ins from new browsers send their own notices)
    assert len([m for m in outbox if m.subject == "Retail Producer Portal E-mail Address Changed"]) == 6


def test_unchanged_email_address_sends_no_e_mail(signed_in, outbox):
    signed_in.post("/account/profile", profile_form(city="Houston"))
    assert outbox == []


def test_several_states_choose_one_first_and_can_switch(app, portal):
    make_account(app, password=PASSWORD, states=("TX", "IL"))
    login(portal, password=PASSWORD)
    first = portal.get("/account/profile")
    assert first.status_code == 302
    assert first.headers["Location"].endswith("/select-state?next=/account/profile")
    chosen = portal.post("/select-state", {"state": "IL", "next": "/account/profile"})
    assert chosen.headers["Location"].endswith("/account/profile")
    page = portal.get("/account/profile")
    assert "Your profile for Illinois." in visible(page) and "Agent Unique ID: 111111111" in visible(page)
    assert 'href="/select-state?next=/account/profile">Select another state</a>' in text(page)
    portal.post("/account/profile", profile_form(city="Chicago", address_state="IL"))
    cities = {row.state: row.city for row in StateRegistration.select()}
    assert cities == {"IL": "Chicago", "TX": "Testville"}


def test_one_state_has_no_state_switch(signed_in):
    assert "Select another state" not in visible(signed_in.get("/account/profile"))


# Register for Another State.

def test_another_state_offers_exactly_the_missing_states(app, portal):
    make_account(app, password=PASSWORD, states=("TX", "MT"))
    login(portal, password=PASSWORD)
    portal.post("/select-state", {"state": "TX"})
    profile = visible(portal.get("/account/profile"))
    assert "you can register for it now: Illinois, New Mexico, Oklahoma." in profile
    page = portal.get("/account/register-another-state")
    seen = visible(page)
    assert "Please select the state you wish to register and provide the required information." in seen
    assert "First Name: Jessica" in seen and "Last Name: Camp" in seen
    offered = [state for state in ("Illinois", "Montana", "New Mexico", "Oklahoma", "Texas")
               if f"Register for {state}" in seen]
    assert offered == ["Illinois", "New Mexico", "Oklahoma"]
    assert 'name="TX-register"' not in text(page) and 'name="MT-register"' not in text(page)


def test_another_state_continue_edit_submit_stores_it_pending(signed_in):
    response = signed_in.post("/account/register-another-state", another_state_form())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/register-another-state/confirm")
    confirm = visible(signed_in.get("/account/register-another-state/confirm"))
    for words in ("Print this page for your records.", "User Name: jessicacamp", "First Name: Jessica",
                  "Confirm Illinois Registration Information", "Agent Unique ID: 111111111",
                  "Edit", "Submit Registration"):
        assert words in confirm
    assert "Confirm Texas Registration Information" not in confirm
    assert StateRegistration.select().count() == 1  # nothing stored before Submit

    edit = text(signed_in.get("/account/register-another-state"))
    assert 'name="IL-register" type="checkbox" value="y"' in edit and "checked" in edit
    assert 'value="111111111"' in edit

    submitted = signed_in.post("/account/register-another-state/submit")
    assert submitted.headers["Location"].endswith("/account/register-another-state/submitted")
    done = signed_in.get("/account/register-another-state/submitted")
    seen = visible(done)
    assert "Registration Information Submitted" in seen
    assert ("Thank you, your registration information has been submitted. You will receive an e-mail "
            "confirming your activation within 1 business day.") in seen
    assert 'href="/account/profile">Back to Profile Page</a>' in text(done)
    illinois = StateRegistration.get(StateRegistration.state == "IL")
    assert (illinois.status, illinois.agent_id, illinois.account_id) == ("pending", "111111111", Account.get().id)
    assert SecurityEvent.get(SecurityEvent.kind == "registration submitted", SecurityEvent.detail == "IL")
    # A second click on Submit adds nothing.
    again = signed_in.post("/account/register-another-state/submit")
    assert again.headers["Location"].endswith("/account/register-another-state/submitted")
    assert StateRegistration.select().count() == 2


def test_another_state_needs_a_state_and_good_fields(signed_in):
    nothing = signed_in.post("/account/register-another-state", {})
    assert "Please select at least one Blue Cross and Blue Shield (BCBS) state" in visible(nothing)
    bad = signed_in.post("/account/register-another-state", another_state_form(**{"IL-zip_code": "12"}))
    assert "Zip Code must be 5 digits or ZIP+4" in visible(bad)
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*id="IL-zip_code"', text(bad))
    assert StateRegistration.select().count() == 1


def test_another_state_refuses_an_agent_id_already_registered_there(app, signed_in):
    make_account(app, user_name="demoproducer", password=PASSWORD, states=("IL",), activate=False)
    response = signed_in.post("/account/register-another-state",
                              another_state_form(agent_id="111111111"))
    assert "This Agent Unique ID is already registered for Illinois." in visible(response)
    not_on_roster = signed_in.post("/account/register-another-state",
                                   another_state_form(agent_id="999999999"))
    assert "This Agent Unique ID is not on the Illinois roster." in visible(not_on_roster)


def test_another_state_registered_elsewhere_between_continue_and_submit(app, signed_in):
    signed_in.post("/account/register-another-state", another_state_form())
    make_account(app, user_name="someoneelse", password=PASSWORD, states=("IL",), activate=False)
    response = signed_in.post("/account/register-another-state/submit")
    assert response.status_code == 200
    assert "This Agent Unique ID is already registered for Illinois." in visible(response)
    assert StateRegistration.select().where(StateRegistration.account == Account.get(
        Account.user_name == "jessicacamp")).count() == 1


def test_another_state_submitted_on_another_device_meanwhile_is_said_above_the_states(app, signed_in):
    signed_in.post("/account/register-another-state", another_state_form())
    other_device = Portal(app.test_client())
    assert login(other_device, password=PASSWORD).status_code == 303
    other_device.post("/account/register-another-state", another_state_form(agent_id="111111112"))
    assert other_device.post("/account/register-another-state/submit").status_code == 303
    response = signed_in.post("/account/register-another-state/submit")
    assert ("You have already registered for Illinois. Please do NOT register more than one time."
            in visible(response))
    assert StateRegistration.select().where(StateRegistration.state == "IL").count() == 1


def test_one_another_state_draft_submitted_six_times_at_once_adds_it_once(app, signed_in):
    signed_in.post("/account/register-another-state", another_state_form())
    for browser, answer in post_at_once(app, signed_in, "/account/register-another-state/submit", 6):
        assert answer.status_code == 303
        assert answer.headers["Location"].endswith("/account/register-another-state/submitted")
        assert "Back to Profile Page" in visible(browser.get("/account/register-another-state/submitted"))
    assert StateRegistration.select().where(StateRegistration.state == "IL").count() == 1


def test_another_state_htmx_steps_swap_fragments(signed_in):
    form = signed_in.get("/account/register-another-state", htmx=True)
    assert "<html" not in text(form) and "Register for Illinois" in visible(form)
    assert 'hx-post="/register/validate"' in text(form)  # the same inline validation as registration
    confirm = signed_in.post("/account/register-another-state", another_state_form(), htmx=True)
    assert "<html" not in text(confirm) and "Confirm Illinois Registration Information" in visible(confirm)
    assert confirm.headers["HX-Push-Url"] == "/account/register-another-state/confirm"
    done = signed_in.post("/account/register-another-state/submit", htmx=True)
    assert "<html" not in text(done) and "Registration Information Submitted" in visible(done)
    assert "Back to Profile Page" in visible(done)


def test_all_five_states_registered_hides_register_for_another_state(app, portal):
    make_account(app, password=PASSWORD, states=("IL", "MT", "NM", "OK", "TX"))
    login(portal, password=PASSWORD)
    portal.post("/select-state", {"state": "TX"})
    profile = portal.get("/account/profile")
    assert "You have registered for all five BCBS states" in visible(profile)
    assert 'href="/account/register-another-state"' not in text(profile)
    page = portal.get("/account/register-another-state")
    assert "You have registered for all five BCBS states" in visible(page) and "<form" not in \
        text(page).split("<main")[1].split("</main>")[0]
    assert "Please select at least one" not in visible(portal.post("/account/register-another-state", {}))


def test_confirm_and_submitted_without_a_draft_go_back(signed_in):
    assert signed_in.get("/account/register-another-state/confirm").headers["Location"].endswith(
        "/account/register-another-state")
    assert signed_in.get("/account/register-another-state/submitted").headers["Location"].endswith(
        "/account/register-another-state")


# Change Your Password.

def test_change_password_section_has_the_guides_words(signed_in):
    seen = visible(signed_in.get("/account/change-password"))
    assert 'Click "Update Password" to save the new password.' in seen
    assert "Once the password has been changed you will be required to login using your new password." in seen


def test_change_password_success(app, signed_in):
    response = signed_in.post("/account/change-password", change_form())
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account/change-password/updated")
    done = signed_in.get("/account/change-password/updated")
    assert "Your password has been updated." in visible(done)
    assert 'href="/account/profile">Back to Profile Page</a>' in text(done)
    assert SecurityEvent.select().where(SecurityEvent.kind == "password changed").count() == 1
    assert signed_in.get("/account/profile").status_code == 200  # this session continues
    fresh = Portal(app.test_client())
    assert login(fresh, password=PASSWORD).status_code == 200  # the old one no longer works
    assert login(fresh, password=NEW_PASSWORD).status_code == 303
    assert NEW_PASSWORD not in "".join(e.detail for e in SecurityEvent.select())


def test_change_password_with_htmx_swaps_the_message_in_place(signed_in):
    response = signed_in.post("/account/change-password", change_form(), htmx=True)
    assert "<html" not in text(response) and "Your password has been updated." in visible(response)
    assert "Back to Profile Page" in visible(response)


def test_wrong_current_password_is_refused_and_recorded(signed_in):
    before = Account.get().password_hash
    response = signed_in.post("/account/change-password", change_form(current="Wrong1234"))
    assert response.status_code == 200
    assert "Your Current Password is not correct." in visible(response)
    assert 'id="current_password-error"' in text(response)
    assert Account.get().password_hash == before
    event = SecurityEvent.get(SecurityEvent.kind == "password change refused")
    assert event.client_address == "127.0.0.1" and "Wrong1234" not in event.detail


@pytest.mark.parametrize("form, field, message", [
    (change_form(current=""), "current_password", "Please enter your Current Password."),
    (change_form(new=""), "new_password", "Please enter your New Password."),
    (change_form(new="abc12!"), "new_password", "New Password must be 6 to 9 characters, letters and/or numbers only"),
    (change_form(new="Ab1234567890"), "new_password", "New Password must be 6 to 9 characters"),
    (change_form(confirm="Nw5pLx8j"), "confirm_new_password", "Confirm New Password must match New Password."),
    (change_form(confirm=""), "confirm_new_password", "Please enter your New Password again."),
    (change_form(new=PASSWORD), "new_password", "New Password must be different from your Current Password."),
    (change_form(new="letmein1"), "new_password", "New Password is one of the most commonly used passwords"),
    (change_form(new="PASSWORD1"), "new_password", "New Password is one of the most commonly used passwords"),
])
def test_bad_new_password_is_refused_beside_its_field(signed_in, form, field, message):
    before = Account.get().password_hash
    response = signed_in.post("/account/change-password", form)
    assert response.status_code == 200
    assert message in visible(response) and f'id="{field}-error"' in text(response)
    assert Account.get().password_hash == before
    assert NEW_PASSWORD not in text(response) and PASSWORD not in text(response)  # passwords never shown


def test_new_password_must_not_contain_the_user_name(app, portal):
    make_account(app, user_name="JCamp", password=PASSWORD)
    login(portal, user_name="JCamp", password=PASSWORD)
    response = portal.post("/account/change-password", change_form(new="xjcamp7"))
    assert "New Password must not contain your User Name." in visible(response)


def test_new_password_same_as_current_typed_in_another_case_is_allowed(signed_in):
    # Passwords are case sensitive: qZ7WV3rT is a different password.
    assert signed_in.post("/account/change-password", change_form(new="qZ7WV3rT")).status_code == 303


def test_password_change_signs_out_every_other_session(app, account):
    first, second = Portal(app.test_client()), Portal(app.test_client())
    login(first, password=PASSWORD)
    login(second, password=PASSWORD)
    assert second.get("/home").status_code == 200
    assert first.post("/account/change-password", change_form()).status_code == 303
    signed_out = second.get("/account/profile")
    assert signed_out.status_code == 302 and "/?next=" in signed_out.headers["Location"]
    assert second.get("/home").status_code == 302
    assert first.get("/home").status_code == 200
    assert LoginSession.select().count() == 1


def test_temporary_password_session_changes_its_password(app, portal, account):
    with app.app_context():
        TemporaryPassword.create(account=Account.get(), password_hash=passwords.hash_password("Tmp4Pass9"),
                                 expires_at=clock.utcnow() + timedelta(hours=4))
    response = login(portal, password="Tmp4Pass9")
    assert response.headers["Location"].endswith("/account/change-password")
    page = visible(portal.get("/account/change-password"))
    assert "You logged in with a temporary password." in page
    done = portal.post("/account/change-password", change_form(current="Tmp4Pass9"))
    assert done.status_code == 303
    assert "Your password has been updated." in visible(portal.get(done.headers["Location"]))
    session = LoginSession.get()
    assert not session.must_change_password and session.temporary_password_hash is None
    assert "You logged in with a temporary password." not in visible(portal.get("/account/change-password"))
    fresh = Portal(app.test_client())
    assert login(fresh, password=NEW_PASSWORD).status_code == 303


def test_the_change_after_a_temporary_password_refuses_common_passwords_and_the_user_name(app, portal, account):
    with app.app_context():
        TemporaryPassword.create(account=Account.get(), password_hash=passwords.hash_password("Tmp4Pass9"),
                                 expires_at=clock.utcnow() + timedelta(hours=4))
    login(portal, password="Tmp4Pass9")
    common = portal.post("/account/change-password", change_form(current="Tmp4Pass9", new="123456"))
    assert ("New Password is one of the most commonly used passwords and is easy to guess. "
            "Please choose a less common New Password.") in visible(common)
    assert LoginSession.get().must_change_password


def test_password_change_ends_an_unused_temporary_password(app, signed_in):
    with app.app_context():
        TemporaryPassword.create(account=Account.get(), password_hash=passwords.hash_password("Tmp4Pass9"),
                                 expires_at=clock.utcnow() + timedelta(hours=4))
    signed_in.post("/account/change-password", change_form())
    assert TemporaryPassword.select().count() == 0


def test_change_password_needs_a_login(portal):
    assert portal.get("/account/change-password").status_code == 302
    sent = portal.post("/account/change-password", change_form())  # the sign-in ended meanwhile: it says so
    assert sent.status_code == 303 and sent.headers["Location"] == "/?next=/account/change-password"


# Recent activity.

def test_activity_list_shows_the_latest_events(app, portal, account):
    login(portal, password="wrong1")
    login(portal, password=PASSWORD)
    portal.post("/account/change-password", change_form(current="Wrong1234"))
    portal.post("/account/profile", profile_form(email="other@example.com", password=PASSWORD))
    response = portal.get("/account/profile")
    activity = visible(response).split("Recent Account Activity")[1]
    for words in ("Profile updated (Texas: E-mail Address)", "Password change refused: wrong current password",
                  "Logged in", "Unsuccessful login (wrong password) (attempt 1 of 3)", "127.0.0.1"):
        assert words in activity
    assert activity.index("Profile updated") < activity.index("Logged in")  # newest first
    event = SecurityEvent.select().order_by(SecurityEvent.id.desc()).first()
    with app.app_context():
        moment = clock.local(event.created_at)
    assert f"{moment:%B} {moment.day}, {moment.year}" in activity


def test_activity_list_shows_at_most_ten_events(portal, account):
    login(portal, password=PASSWORD)
    for number in range(12):
        portal.post("/account/profile", profile_form(city=f"Town {number}"))
    page = text(portal.get("/account/profile"))
    activity = page.split('id="activity-title"')[1]
    assert activity.count("<tr role=\"row\">") == 1 + 10  # the header row and ten events


def test_third_wrong_current_password_locks_the_account_and_ends_every_session(app, signed_in):
    from tests.helpers import LOCKED
    other = Portal(app.test_client())
    assert login(other, password=PASSWORD).status_code == 303
    for _ in range(2):
        assert "Your Current Password is not correct." in visible(
            signed_in.post("/account/change-password", change_form(current="Wrong1234")))
    third = signed_in.post("/account/change-password", change_form(current="Wrong1234"))
    assert third.status_code == 303 and third.headers["Location"] == "/"
    assert LOCKED in visible(signed_in.get("/"))
    assert Account.get().is_locked() and LoginSession.select().count() == 0
    assert other.get("/home").status_code == 302
    assert LOCKED in visible(login(signed_in, password=PASSWORD))  # the right one waits for the lock to lift


def test_right_current_password_clears_earlier_misses(app, signed_in):
    signed_in.post("/account/change-password", change_form(current="Wrong1234"))
    assert signed_in.post("/account/change-password", change_form()).status_code == 303
    assert Account.get().failed_logins == 0


def test_profile_typed_decomposed_is_stored_composed(signed_in):
    assert signed_in.post("/account/profile", profile_form(city="Espan\u0303ola",
                                                           company_name="Cafe\u0301")).status_code == 303
    assert (texas().city, texas().company_name) == ("Española", "Café")


def test_register_for_another_state_starts_from_the_latest_registration(app, signed_in):
    """3.3.7 Redundant Entry: every offered state's block is filled with the most recent registration's
    details (editable); the Agent Unique ID is left for the producer."""
    with app.app_context():
        StateRegistration.update(city="Austin", company_name="Camp Agency").where(
            StateRegistration.state == "TX").execute()
    page = signed_in.get("/account/register-another-state").get_data(as_text=True)
    for code in ("IL", "MT", "NM", "OK"):
        value = {name: re.search(f'<input [^>]*name="{code}-{name}"[^>]*value="([^"]*)"', page).group(1)
                 for name in ("city", "company_name", "address_1", "agent_id")}
        assert value == {"city": "Austin", "company_name": "Camp Agency", "address_1": "123 Test St", "agent_id": ""}
        assert f'id="{code}-register" name="{code}-register" type="checkbox" value="y">' in page  # not ticked
    edited = another_state_form(**{"IL-city": "Springfield"})
    assert signed_in.post("/account/register-another-state", edited).status_code == 303
    signed_in.post("/account/register-another-state/submit")
    with app.app_context():
        assert StateRegistration.get(StateRegistration.state == "IL").city == "Springfield"
