"""Register for the Portal: fields, Continue / Edit / Submit Registration, duplicates, roster."""
import html
import pathlib
import re
import threading
from datetime import datetime

import pytest

from rpp import create_app
from rpp.messages import text as message
from rpp.models import Account, RegistrationDraft, RosterEntry, SecurityEvent, StateRegistration
from rpp.registration import activation
from tests.helpers import Portal, post_at_once, registration_form, settings, text, visible


def test_sign_in_page_has_the_guides_layout(portal):
    page = text(portal.get("/"))
    for words in ("Please Sign-In", "User Name", "Password", "Login", "Register", "Welcome",
                  "Welcome to the Retail Producer Portal.", "BlueCross BlueShield of Illinois",
                  "BlueCross BlueShield of Montana", "BlueCross BlueShield of New Mexico",
                  "BlueCross BlueShield of Oklahoma", "BlueCross BlueShield of Texas", "Contact Us"):
        assert words in page


def test_registration_form_shows_every_field_and_note(portal):
    response = portal.get("/register")
    page, seen = text(response), visible(response)
    for words in ("First Name", "Last Name", "User Name", "Confirm Password",
                  "User Name and Password are case sensitive.", "Please do NOT register more than one time.",
                  "it can take up to 24 HOURS on a regular business day", "* Denotes a required field.",
                  "Please enter the 9 digit identification number you were provided at the time of licensing "
                  "by Producer Administration.",
                  "Continue"):
        assert words in seen
    for name in ("Illinois", "Montana", "New Mexico", "Oklahoma", "Texas"):
        assert f"Register for {name}" in page
        assert f"<legend>{name}</legend>" in page
    # The State dropdown is preset to the BCBS state of its block.
    assert '<option selected value="TX">Texas</option>' in page
    assert '<option selected value="NM">New Mexico</option>' in page


def test_no_state_selected_is_refused(portal):
    response = portal.post("/register", registration_form(states=()))
    assert "Please select at least one Blue Cross and Blue Shield (BCBS) state" in text(response)
    assert RegistrationDraft.select().count() == 0
    # The state checkboxes are one group that the message describes (a screen reader says it at each box).
    group = re.search(r'<fieldset class="states"([^>]*)>\s*<legend[^>]*>([^<]+)</legend>(.*?)</form>',
                      text(response), re.S)
    assert group.group(1).startswith(' aria-describedby="states-error"') and group.group(2) == "States to register for"
    assert 'id="states-error"' in text(response) and 'name="TX-register"' in group.group(3)


PRINTABLE = "{} may contain only printable characters: no tabs, line breaks or invisible characters."
COMMON_PASSWORD = ("Password is one of the most commonly used passwords and is easy to guess. "
                   "Please choose a less common Password.")
BAD_FIELDS = [
    ("first_name", "", "Please enter your First Name."),
    ("first_name", "J0hn", "First Name may contain only letters"),
    ("first_name", "x" * 51, "First Name must be 50 characters or fewer."),
    ("last_name", "", "Please enter your Last Name."),
    ("user_name", "", "Please enter a User Name."),
    ("user_name", "jc", "User Name must be 3 to 30 characters"),
    ("user_name", "jess camp", "User Name must be 3 to 30 characters"),
    ("user_name", "j" * 31, "User Name must be 3 to 30 characters"),
    ("password", "abc12", "Password must be 6 to 9 characters, letters and/or numbers only"),
    ("password", "abcde12345", "Password must be 6 to 9 characters"),
    ("password", "abc12!", "Password must be 6 to 9 characters"),
    ("confirm_password", "abc124", "Confirm Password must match Password."),
    ("password", "123456", COMMON_PASSWORD),
    ("password", "password1", COMMON_PASSWORD),
    ("password", "PassWord1", COMMON_PASSWORD),
    ("TX-address_1", "", "Please enter your Address 1."),
    ("TX-address_1", "   ", "Please enter your Address 1."),
    ("TX-city", " \t ", "Please enter your City."),
    ("TX-address_1", "x" * 101, "Address 1 must be 100 characters or fewer."),
    ("TX-company_name", "x" * 101, "Company Name must be 100 characters or fewer."),
    ("TX-company_name", "Acme\x00", PRINTABLE.format("Company Name")),
    ("first_name", "Jess\tica", PRINTABLE.format("First Name")),
    ("last_name", "Camp\u202e", PRINTABLE.format("Last Name")),
    ("first_name", "Jess\u200bica", PRINTABLE.format("First Name")),
    ("first_name", "Jessica@", "First Name may contain only letters"),
    ("last_name", "C4mp", "Last Name may contain only letters"),
    ("first_name", "-Jessica", "First Name may contain only letters"),
    ("TX-city", "Dal\nlas", PRINTABLE.format("City")),
    ("TX-address_1", "123 Test\u2028St", PRINTABLE.format("Address 1")),
    ("TX-address_2", "Suite\x7f", PRINTABLE.format("Address 2")),
    ("TX-city", "", "Please enter your City."),
    ("TX-address_state", "ZZ", "Please choose the State of your address."),
    ("TX-zip_code", "9999", "Zip Code must be 5 digits or ZIP+4"),
    ("TX-zip_code", "99999-12", "Zip Code must be 5 digits or ZIP+4"),
    ("TX-agent_id", "12345678", "Agent Unique ID must be exactly 9 digits."),
    ("TX-agent_id", "12345678a", "Agent Unique ID must be exactly 9 digits."),
    ("TX-agent_id", "123456789", "This Agent Unique ID is not on the Texas roster."),
    ("TX-agent_id", "111111111", "This Agent Unique ID is not on the Texas roster."),
    ("TX-phone", "555-1212", "Phone must be a 10-digit US number"),
    ("TX-phone", "815-555-121x", "Phone must be a 10-digit US number"),
    ("TX-email", "", "Please enter your E-mail Address."),
    ("TX-email", "not-an-address", "E-mail Address must be a valid e-mail address"),
    ("TX-email", "a@b", "E-mail Address must be a valid e-mail address"),
]


@pytest.mark.parametrize("name, value, message", BAD_FIELDS)
def test_bad_value_is_refused_beside_its_field(portal, name, value, message):
    response = portal.post("/register", registration_form(**{name: value}))
    page = text(response)
    assert response.status_code == 200
    assert message in page
    error_slot = re.search(rf'<p class="field-error" id="{name}-error"[^>]*>(.*?)</p>', page, re.S).group(1)
    assert message in error_slot
    assert re.search(rf'<(input|select)[^>]*aria-invalid="true"[^>]*id="{name}"', page)
    assert RegistrationDraft.select().count() == 0 and Account.select().count() == 0


@pytest.mark.parametrize("name, value, message", [f for f in BAD_FIELDS if f[0] != "TX-address_state"])
def test_inline_validation_returns_the_field_with_its_error(portal, name, value, message):
    response = portal.post("/register/validate", registration_form(**{name: value}), htmx=True, trigger=name)
    fragment = text(response)
    assert message in fragment
    assert "<html" not in fragment
    assert len(response.data) <= 1024


@pytest.mark.parametrize("name, value", [
    ("user_name", "J.Camp_2-x"), ("password", "QRSxyz"), ("password", "528163947"),
    ("first_name", "Mary-Jo O'Neil Jr."), ("first_name", "e\u0301" * 50), ("TX-zip_code", "60601-1234"),
    ("TX-company_name", "Ñandú & Café, Inc. #2 (Est. 1999) — “Best”"), ("TX-city", "Española"),
    ("TX-phone", "8155551212"), ("TX-phone", "815-555-1212"), ("TX-phone", "(815) 555-1212"),
    ("TX-email", "jess.camp+rpp@example.co.uk"), ("TX-company_name", ""), ("TX-address_2", ""),
])
def test_good_values_pass(portal, name, value):
    data = registration_form(**{name: value})
    if name == "password":
        data["confirm_password"] = value
    response = portal.post("/register", data)
    assert response.status_code == 303


def test_inline_validation_of_a_good_field_shows_no_error(portal):
    response = portal.post("/register/validate", registration_form(), htmx=True, trigger="TX-agent_id")
    assert response.status_code == 200 and text(response).strip() == ""


def test_inline_validation_reports_a_taken_user_name_ignoring_case(portal):
    register(portal, user_name="JCamp")
    other = portal.post("/register/validate", registration_form(user_name="jcamp"), htmx=True,
                        trigger="user_name")
    assert "This User Name is already taken." in text(other)


def test_inline_validation_of_an_unknown_field_is_a_bad_request(portal):
    response = portal.post("/register/validate", registration_form(), htmx=True, trigger="XX-nothing")
    assert response.status_code == 400


def test_unchecked_states_are_ignored(portal):
    data = registration_form(states=("TX",))
    data.update({"IL-agent_id": "bad", "IL-zip_code": "bad"})
    response = portal.post("/register", data)
    assert response.status_code == 303
    confirm = text(portal.get("/register/confirm"))
    assert "Confirm Texas Registration Information" in confirm
    assert "Illinois" not in confirm.split("<main")[1].split("</main>")[0]


def test_continue_shows_confirmation_and_stores_nothing(portal):
    response = portal.post("/register", registration_form(states=("TX", "IL")))
    assert response.status_code == 303 and response.headers["Location"].endswith("/register/confirm")
    page = text(portal.get("/register/confirm"))
    for words in ("Print this page for your records.", "User Name:", "jessicacamp", "First Name:",
                  "Last Name:", "Confirm Texas Registration Information",
                  "Confirm Illinois Registration Information", "Company Name:", "Address 1:",
                  "Agent Unique ID:", "999999999", "111111111", "8155551212", "testproducer@gmail.com",
                  "Edit", "Submit Registration"):
        assert words in page
    assert "bcbs4tx9" not in page
    assert Account.select().count() == 0 and StateRegistration.select().count() == 0


def test_password_is_never_kept_in_plain_text_between_continue_and_submit(portal, client):
    portal.post("/register", registration_form(password="Secr3t9"))
    draft = RegistrationDraft.get()
    assert "Secr3t9" not in draft.data
    assert draft.password_hash.startswith("$argon2id$")
    cookie = client.get_cookie("rpp_session").value
    assert "Secr3t9" not in cookie and "argon2" not in cookie
    assert "Secr3t9" not in text(portal.get("/register/confirm"))


def test_edit_returns_the_filled_form_without_passwords(portal):
    portal.post("/register", registration_form(states=("TX", "IL")))
    page = text(portal.get("/register"))
    assert 'value="jessicacamp"' in page and 'value="999999999"' in page and 'value="111111111"' in page
    assert 'id="TX-register" name="TX-register" type="checkbox" value="y"' in page
    assert "bcbs4tx9" not in page


@pytest.mark.parametrize("htmx", [False, True])
def test_edit_says_beside_the_password_fields_that_they_must_be_typed_again(portal, htmx):
    assert message("registration.password_again") not in text(portal.get("/register"))  # a first visit
    portal.post("/register", registration_form(), htmx=htmx)
    page = text(portal.get("/register", htmx=htmx))
    help_text = re.search(r'<p class="help" id="password-help">([^<]*)</p>', page)[1]
    assert html.unescape(help_text) == message("registration.password_again") + " " + message("password.help")
    assert 'aria-describedby="password-help password-error"' in page


def test_edit_then_continue_again_replaces_the_draft(portal):
    portal.post("/register", registration_form(states=("TX",)))
    portal.post("/register", registration_form(states=("TX",), **{"TX-city": "Austin"}))
    assert RegistrationDraft.select().count() == 1
    assert "Austin" in text(portal.get("/register/confirm"))


def register(portal, **kwargs):
    """Continue and Submit a registration."""
    portal.post("/register", registration_form(**kwargs))
    return portal.post("/register/submit")


def test_submit_stores_the_account_and_every_state_as_pending(portal):
    response = register(portal, states=("TX", "IL"), password="Bcbs4tx9")
    assert response.status_code == 303 and response.headers["Location"].endswith("/register/submitted")
    account = Account.get()
    assert (account.user_name, account.first_name, account.last_name) == ("jessicacamp", "Jessica", "Camp")
    assert account.password_hash.startswith("$argon2id$") and "Bcbs4tx9" not in account.password_hash
    rows = {r.state: r for r in StateRegistration.select()}
    assert set(rows) == {"TX", "IL"}
    tx = rows["TX"]
    assert (tx.status, tx.agent_id, tx.phone, tx.zip_code, tx.address_state, tx.email) == \
        ("pending", "999999999", "8155551212", "99999", "TX", "testproducer@gmail.com")
    assert RegistrationDraft.select().count() == 0
    page = text(portal.get("/register/submitted"))
    assert "Registration Information Submitted" in page
    assert ("Thank you, your registration information has been submitted. You will receive an e-mail "
            "confirming your activation within 1 business day.") in page
    assert "Back to Login Page" in page


def test_submitting_twice_creates_one_account(portal):
    portal.post("/register", registration_form())
    first = portal.post("/register/submit")
    second = portal.post("/register/submit")
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"].endswith("/register/submitted")
    assert Account.select().count() == 1


def test_htmx_continue_edit_submit_swap_fragments(portal):
    form = portal.post("/register", registration_form(user_name="x"), htmx=True)
    assert "<html" not in text(form) and "User Name must be 3 to 30 characters" in text(form)
    assert "HX-Request" in form.headers["Vary"]
    confirm = portal.post("/register", registration_form(), htmx=True)
    assert "<html" not in text(confirm) and "Confirm Texas Registration Information" in text(confirm)
    assert confirm.headers["HX-Push-Url"] == "/register/confirm"
    assert "HX-Request" in confirm.headers["Vary"]
    edit = portal.get("/register", htmx=True)
    assert "<html" not in text(edit) and 'value="jessicacamp"' in text(edit)
    submitted = portal.post("/register/submit", htmx=True)
    assert "<html" not in text(submitted) and "Registration Information Submitted" in text(submitted)
    assert Account.select().count() == 1


def test_full_pages_for_history_restore_and_plain_requests(portal):
    portal.post("/register", registration_form())
    restored = portal.get("/register/confirm", headers={"HX-Request": "true",
                                                        "HX-History-Restore-Request": "true"})
    assert "<html" in text(restored)
    plain = portal.get("/register/confirm")
    assert "<html" in text(plain) and "HX-Request" in plain.headers["Vary"]


def test_confirm_without_a_draft_goes_back_to_the_form(portal):
    assert portal.get("/register/confirm").headers["Location"].endswith("/register")
    assert portal.get("/register/submitted").headers["Location"].endswith("/register")


def test_duplicate_user_name_ignoring_case_is_refused(portal, client, app):
    register(portal, user_name="JCamp", states=("TX",))
    other = Portal(app.test_client())
    response = other.post("/register", registration_form(user_name="jcamp", states=("IL",)))
    assert "This User Name is already taken." in text(response)
    assert Account.select().count() == 1


def test_agent_id_already_registered_in_that_state_is_refused(portal, app):
    register(portal, user_name="first", states=("TX",))
    other = Portal(app.test_client())
    response = other.post("/register", registration_form(user_name="second", states=("TX",)))
    assert "This Agent Unique ID is already registered for Texas." in text(response)


def test_duplicate_found_at_submit_returns_to_the_form(portal, app):
    portal.post("/register", registration_form(user_name="same", states=("TX",)))
    other = Portal(app.test_client())
    register(other, user_name="SAME", states=("IL",))
    response = portal.post("/register/submit")
    assert "This User Name is already taken." in text(response)
    assert Account.select().count() == 1 and StateRegistration.select().count() == 1


def test_concurrent_submissions_for_one_user_name_make_one_account(app):
    """Ten producers press Submit at once with the same user name: one wins, none sees a 500."""
    portals = [Portal(app.test_client()) for _ in range(10)]
    for number, each in enumerate(portals):
        data = registration_form(user_name="racer", states=("TX",) if number % 2 else ("IL",))
        assert each.post("/register", data).status_code == 303
    results = [None] * len(portals)

    def submit(index):
        results[index] = portals[index].post("/register/submit")

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(len(portals))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(r.status_code in (200, 303) for r in results)
    assert sum(r.status_code == 303 for r in results) == 1
    assert sum("This User Name is already taken." in text(r) or "already registered" in text(r)
               for r in results) == 9
    with app.app_context():
        assert Account.select().count() == 1


def test_one_draft_submitted_six_times_at_once_makes_one_account(app, portal):
    """Six plain POSTs of Submit Registration for one draft at once: one account, and every answer
    is a redirect to the submitted page, which each of them then shows."""
    assert portal.post("/register", registration_form(states=("TX", "IL"))).status_code == 303
    for browser, answer in post_at_once(app, portal, "/register/submit", 6):
        assert answer.status_code == 303 and answer.headers["Location"].endswith("/register/submitted")
        assert "Thank you, your registration information has been submitted." in visible(
            browser.get("/register/submitted"))
    with app.app_context():
        assert Account.select().count() == 1 and StateRegistration.select().count() == 2
        assert SecurityEvent.select().where(SecurityEvent.kind == "registration submitted").count() == 1


def test_submit_again_after_submitting_shows_the_submitted_page(portal):
    portal.post("/register", registration_form())
    assert portal.post("/register/submit").status_code == 303
    assert portal.get("/register/confirm").headers["Location"].endswith("/register/submitted")
    again = portal.post("/register/submit")
    assert again.status_code == 303 and again.headers["Location"].endswith("/register/submitted")
    assert Account.select().count() == 1


def test_registrations_list_shows_pending_rows(portal, runner):
    register(portal, states=("TX", "IL"))
    result = runner.invoke(args=["registrations", "list", "--status", "pending"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert all("jessicacamp" in line and "pending" in line for line in lines)
    assert any(" TX 999999999 " in line for line in lines)
    assert runner.invoke(args=["registrations", "list", "--status", "active"]).output == ""


def test_roster_import_is_idempotent(runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("state,agent_id,first_name,last_name\nTX,123456780,Ann,Lee\nil,123456781,,\n")
    first = runner.invoke(args=["roster", "import", str(path)])
    assert first.exit_code == 0 and "2 added" in first.output
    again = runner.invoke(args=["roster", "import", str(path)])
    assert "0 added, 0 updated, 2 unchanged" in again.output
    assert RosterEntry.select().where(RosterEntry.state == "IL", RosterEntry.agent_id == "123456781").exists()


def test_roster_import_with_a_bad_line_imports_nothing_and_lists_every_bad_line(runner, tmp_path):
    before = RosterEntry.select().count()
    path = tmp_path / "roster.csv"
    path.write_text("state,agent_id\nTX,123456780\nZZ,123456781\nTX,12345\nTX,123456780\n")
    result = runner.invoke(args=["roster", "import", str(path)])
    assert result.exit_code == 1
    assert "line 3: state 'ZZ'" in result.output
    assert "line 4: agent_id '12345' is not exactly 9 digits" in result.output
    assert "line 5: TX 123456780 repeats line 2" in result.output
    assert RosterEntry.select().count() == before


def test_roster_import_needs_the_header(runner, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("TX,123456780\n")
    result = runner.invoke(args=["roster", "import", str(path)])
    assert result.exit_code == 1 and "header" in result.output


def test_db_upgrade_is_safe_to_run_twice(runner):
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0


@pytest.mark.parametrize("submitted_utc, expected_local", [
    ("2024-03-04 21:00", "2024-03-05 15:00"),  # Monday 3 PM CST → Tuesday 3 PM
    ("2024-03-08 21:00", "2024-03-11 15:00"),  # Friday → Monday
    ("2024-03-09 18:00", "2024-03-11 12:00"),  # Saturday → Monday
    ("2024-03-10 18:00", "2024-03-11 13:00"),  # Sunday (DST starts) → Monday, same clock time
    ("2024-07-03 15:00", "2024-07-05 10:00"),  # Wednesday before Independence Day → Friday
    ("2024-11-27 21:00", "2024-11-29 15:00"),  # Wednesday before Thanksgiving → Friday
    ("2024-12-31 16:00", "2025-01-02 10:00"),  # New Year's Eve → January 2
    ("2024-01-12 21:00", "2024-01-16 15:00"),  # Friday before Martin Luther King Jr. Day → Tuesday
])
def test_expected_activation_is_the_next_business_day(app, submitted_utc, expected_local):
    with app.app_context():
        expected = activation.expected_activation(datetime.fromisoformat(submitted_utc))
    assert expected.strftime("%Y-%m-%d %H:%M") == expected_local
    assert str(expected.tzinfo) == "America/Chicago"


def test_settings_come_from_the_environment(tmp_path, database, monkeypatch):
    monkeypatch.setenv("FLASK_PORTAL_URL", "https://producers.example.com")
    monkeypatch.setenv("FLASK_LOCKOUT_THRESHOLD", "5")
    app = create_app({k: v for k, v in settings(tmp_path).items() if k != "PORTAL_URL"})
    assert app.config["PORTAL_URL"] == "https://producers.example.com"
    assert app.config["LOCKOUT_THRESHOLD"] == 5


def test_secret_key_is_required_outside_debug(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)
    config = {k: v for k, v in settings(tmp_path).items() if k != "SECRET_KEY"}
    with pytest.raises(RuntimeError, match="SECRET_KEY is required"):
        create_app(config)


def test_a_password_containing_the_user_name_is_refused_on_continue_and_inline(portal):
    message = "Password must not contain your User Name."
    data = registration_form(user_name="JCamp", password="xjcamp7", confirm_password="xjcamp7")
    assert message in text(portal.post("/register", data))
    assert message in text(portal.post("/register/validate", data, htmx=True, trigger="password"))
    assert Account.select().count() == 0 and RegistrationDraft.select().count() == 0


def test_user_name_and_password_rules_are_shown_under_their_fields(portal):
    page = portal.get("/register").get_data(as_text=True)
    user_name_help = ('<p class="help" id="user_name-help">The User Name must be 3 to 30 characters: letters, '
                      'numbers, periods (.), underscores (_) and/or hyphens (-), no spaces. Letters can be lower case, '
                      'upper case or a mix of both.</p>')
    password_help = ('<p class="help" id="password-help">The password must be six to nine characters: letters '
                     'and/or numbers only, no special characters. Letters can be lower case, upper case or a mix of '
                     'both.</p>')
    assert user_name_help in page and password_help in page
    assert re.search(r'<input[^>]*aria-describedby="user_name-help user_name-error"[^>]*id="user_name"', page)
    assert re.search(r'<input[^>]*aria-describedby="password-help password-error"[^>]*id="password"', page)


NAMES = ["José", "Núñez", "O'Brien", "O’Brien", "Mary-Kate", "St. John", "李", "Σωκράτης", "Nguyễn",
         "Ólafsdóttir", "अनुराधा", "محمد"]


@pytest.mark.parametrize("name", NAMES)
def test_names_in_any_script_are_accepted_and_stored(portal, name):
    assert register(portal, first_name=name, last_name=name).status_code == 303
    account = Account.get()
    assert (account.first_name, account.last_name) == (name, name)


def test_names_and_addresses_typed_decomposed_are_stored_composed(portal):
    response = register(portal, first_name="Jose\u0301", last_name="Nu\u0301n\u0303ez",
                        **{"TX-company_name": "Cafe\u0301 Agency", "TX-address_1": "1 Calle N\u0303",
                           "TX-city": "Espan\u0303ola"})
    assert response.status_code == 303
    account = Account.get()
    assert (account.first_name, account.last_name) == ("José", "Núñez")
    row = StateRegistration.get()
    assert (row.company_name, row.address_1, row.city) == ("Café Agency", "1 Calle Ñ", "Española")


@pytest.mark.parametrize("name, value", [("first_name", "José"), ("last_name", "O’Brien"), ("first_name", "李"),
                                         ("TX-city", "Española")])
def test_inline_validation_accepts_names_and_places_in_any_script(portal, name, value):
    response = portal.post("/register/validate", registration_form(**{name: value}), htmx=True, trigger=name)
    assert response.status_code == 200 and text(response).strip() == ""


def test_a_browser_without_has_shows_every_states_fields():
    """Unticked states' fields are hidden only where the browser understands :has() (else all are shown)."""
    css = (pathlib.Path(__file__).resolve().parent.parent / "static" / "css" / "portal.css").read_text()
    hiding = [match.start() for match in re.finditer(r"\.state:has\(", css)]
    supports = re.search(r"@supports selector\(:has\(\*\)\)\{(.*?\}\s*)\}", css, re.S)
    assert hiding and supports
    assert all(supports.start(1) <= start < supports.end(1) for start in hiding)


def same_details_registration(**overrides):
    """Illinois filled in; Texas ticked with only its Agent Unique ID and "Same details as Illinois"."""
    data = registration_form(states=("IL",), **{"IL-company_name": "Camp Agency", "IL-address_1": "1 Lake St",
                                               "IL-address_2": "Suite 2", "IL-city": "Chicago",
                                               "IL-address_state": "IL", "IL-zip_code": "60601",
                                               "IL-phone": "312-555-0100", "IL-email": "jessica@campagency.com"})
    data.update({"TX-register": "y", "TX-same_as": "y", "TX-agent_id": "999999999"})
    data.update(overrides)
    return data


def test_same_details_as_the_first_state_is_copied_on_continue_without_javascript(portal):
    """3.3.7 Redundant Entry: a further state copies the first selected state's details (not its Agent
    Unique ID) when its box is ticked; the confirmation shows every state's details."""
    response = portal.post("/register", same_details_registration())
    assert response.status_code == 303, visible(response)
    draft = RegistrationDraft.get().fields["states"]
    shared = {name: draft["IL"][name] for name in ("company_name", "address_1", "address_2", "city",
                                                   "address_state", "zip_code", "phone", "email")}
    assert shared == {"company_name": "Camp Agency", "address_1": "1 Lake St", "address_2": "Suite 2",
                      "city": "Chicago", "address_state": "IL", "zip_code": "60601", "phone": "3125550100",
                      "email": "jessica@campagency.com"}
    assert {name: draft["TX"][name] for name in shared} == shared
    assert (draft["IL"]["agent_id"], draft["TX"]["agent_id"]) == ("111111111", "999999999")
    confirm = visible(portal.get("/register/confirm"))
    texas = confirm.split("Confirm Texas Registration Information")[1]
    assert "Camp Agency" in texas and "Chicago" in texas and "999999999" in texas and "111111111" not in texas


def test_a_state_without_the_box_keeps_its_own_details(portal):
    data = same_details_registration(**{"TX-same_as": ""})
    data.update({name: value for name, value in registration_form(states=("TX",)).items() if name.startswith("TX-")})
    assert portal.post("/register", data).status_code == 303
    assert RegistrationDraft.get().fields["states"]["TX"]["city"] == "Testville"


def test_the_same_details_box_names_the_first_selected_state(portal):
    blank = text(portal.get("/register"))
    assert blank.count("Same details as the first state selected</label>") == 5  # no state selected yet
    again = portal.post("/register", same_details_registration(user_name="x"))  # a User Name too short
    page = text(again)
    assert again.status_code == 200 and page.count("Same details as Illinois</label>") == 5
    assert re.search(r'<div class="checkbox same-as" data-same-as="IL" hidden>', page)  # not on Illinois itself
    assert 'id="TX-same_as" name="TX-same_as" type="checkbox" value="y"' in page and 'value="Chicago"' in page
    assert re.search(r'<input[^>]*aria-describedby="TX-same_as-help"[^>]*id="TX-same_as"', page)


def test_same_details_never_copies_into_the_first_state_or_an_unticked_one(portal):
    data = same_details_registration(**{"IL-same_as": "y", "MT-same_as": "y"})
    assert portal.post("/register", data).status_code == 303
    states = RegistrationDraft.get().fields["states"]
    assert sorted(states) == ["IL", "TX"] and states["IL"]["city"] == "Chicago"
