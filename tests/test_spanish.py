"""En español (SPEC §12): the page's language by Accept-Language or the Español / English link, remembered in a
cookie and on the account; the catalogue complete and current; e-mails in the producer's language.

The Spanish a test expects is read from es.po (tests.helpers.spanish), so the tests hold whatever the wording."""
import datetime
import io
import pathlib
from zoneinfo import ZoneInfo

import pytest
from babel.messages import mofile
from babel.messages.frontend import CommandLineInterface
from flask_babel import force_locale

from rpp.messages import MESSAGES, state_name
from rpp.models import Account, OutboxMessage
from rpp.registration import activation
from rpp.templating import local_time
from tests.helpers import (
    SPANISH_PO,
    TRANSLATIONS,
    Portal,
    login,
    make_account,
    read_catalogue,
    registration_form,
    spanish,
    text,
    visible,
)

ROOT = pathlib.Path(__file__).resolve().parent.parent

SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def msgids(catalogue):
    return {message.id for message in catalogue if message.id}


# Catalogue

def test_messages_pot_is_what_pybabel_extracts(tmp_path):
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l",
                                "--no-location", "-o", str(extracted), str(ROOT)])
    fresh, committed = read_catalogue(extracted), read_catalogue(TRANSLATIONS / "messages.pot")
    assert msgids(fresh) == msgids(committed), "run scripts/translations and commit rpp/translations/"


def test_every_producer_message_is_in_the_catalogue():
    catalogue = msgids(read_catalogue(TRANSLATIONS / "messages.pot"))
    console = ("staff.", "roster.", "two_step.staff.")  # the console is English only
    assert {value for key, value in MESSAGES.items() if not key.startswith(console)} <= catalogue


def test_spanish_catalogue_has_every_message_and_no_other():
    assert msgids(read_catalogue(SPANISH_PO)) == msgids(read_catalogue(TRANSLATIONS / "messages.pot"))


def translated(message):
    """Whether a catalogue entry has its translation (every plural form of it)."""
    forms = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return bool(message.id) and all(forms)


def test_every_spanish_entry_is_translated_and_none_is_fuzzy():
    catalogue = read_catalogue(SPANISH_PO)
    untranslated = [message.id for message in catalogue if message.id and not translated(message)]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalogue_the_portal_reads_is_the_po_file():
    compiled = io.BytesIO()
    mofile.write_mo(compiled, read_catalogue(SPANISH_PO))  # as pybabel compile writes it (fuzzy entries left out)
    assert SPANISH_PO.with_suffix(".mo").read_bytes() == compiled.getvalue(), \
        "run scripts/translations (pybabel compile) and commit rpp/translations/"


# Choosing the language

PAGES = {"/": "Please Sign-In", "/register": "Registration", "/forgot-user-name": "Forgot User Name?",
         "/reset-password": "Reset Password?", "/contact-us": "Contact Us"}
SIGNED_IN_PAGES = {"/home": "Home", "/account/profile": "Edit Profile", "/account/change-password": "Change Password",
                   "/account/two-step/set-up": "Set Up Two-Step Verification", "/account/passkeys": "Passkeys"}


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_a_spanish_browser_gets_every_page_in_spanish(client, path, title):
    response = client.get(path, headers={**SPANISH})
    assert response.status_code == 200
    assert '<html lang="es">' in text(response)
    assert spanish(title) in visible(response)
    assert {"Cookie", "Accept-Language"} <= set(response.vary)


@pytest.mark.parametrize(("path", "title"), PAGES.items())
def test_an_english_browser_gets_english_with_a_link_to_spanish(client, path, title):
    page = text(client.get(path, headers={**ENGLISH}))
    assert '<html lang="en">' in page and f"<title>{title} – Retail Producer Portal</title>" in page
    assert 'lang="es" hreflang="es">Español</a>' in page


def test_one_portal_answers_each_browser_in_its_own_language(client):
    """Templates are compiled once; what they say is chosen at each request."""
    for _ in range(2):
        assert "<title>Please Sign-In – Retail Producer Portal</title>" in text(client.get("/", headers={**ENGLISH}))
        assert spanish("Please Sign-In") in visible(client.get("/", headers={**SPANISH}))


def test_any_spanish_in_accept_language_chooses_spanish_when_english_is_not_preferred(client):
    assert '<html lang="es">' in text(client.get("/", headers={"Accept-Language": "es-AR"}))
    assert '<html lang="es">' in text(client.get("/", headers={"Accept-Language": "fr, es;q=0.8"}))
    assert '<html lang="en">' in text(client.get("/", headers={"Accept-Language": "fr"}))
    assert '<html lang="en">' in text(client.get("/"))


def test_the_link_switches_stays_on_the_page_and_is_remembered_for_a_year(client):
    switched = client.get("/language/es?next=/register%3Fx%3D1", headers={**ENGLISH})
    assert switched.status_code == 303 and switched.headers["Location"] == "/register?x=1"
    cookie = client.get_cookie("rpp_language")
    assert cookie.value == "es" and "Max-Age=31536000" in switched.headers["Set-Cookie"]
    page = client.get("/register", headers={**ENGLISH})  # the choice outweighs the browser's language
    assert '<html lang="es">' in text(page) and spanish("Registration") in visible(page)
    assert 'href="/language/en?next=/register" lang="en" hreflang="en">English</a>' in text(page)
    client.get("/language/en?next=/register")
    assert '<html lang="en">' in text(client.get("/register", headers={**SPANISH}))


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "evil", ""])
def test_the_link_goes_back_to_this_site_only(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_only_the_portal_s_languages_can_be_chosen(client):
    assert client.get("/language/fr?next=/").status_code == 404
    assert client.get_cookie("rpp_language") is None


def test_the_console_stays_english(client):
    client.get("/language/es")
    page = text(client.get("/staff/login", headers={**SPANISH}))
    assert '<html lang="en">' in page and "Español" not in page and "English</a>" not in page


@pytest.mark.parametrize(("path", "title"), SIGNED_IN_PAGES.items())
def test_a_signed_in_producer_gets_every_page_in_spanish(app, portal, path, title):
    make_account(app)
    login(portal, headers={**SPANISH})
    response = portal.get(path, headers={**SPANISH})
    assert response.status_code == 200 and '<html lang="es">' in text(response)
    assert spanish(title) in visible(response)


def test_recent_activity_reads_in_spanish_with_its_details(app, portal):
    make_account(app)
    login(portal, password="wrong9999")
    portal.post("/reset-password", {"user_name": "jessicacamp", "email": "nobody@example.com"})
    login(portal, headers={**SPANISH})
    page = visible(portal.get("/account/profile", headers={**SPANISH}))
    assert spanish("Unsuccessful login (wrong password)") in page
    assert spanish("attempt {attempt} of {threshold}").format(attempt=1, threshold=3) in page
    assert "attempt 1 of 3" not in page and "requested" not in page


def test_switching_while_signed_in_changes_the_language_of_the_account(app, portal):
    make_account(app)
    login(portal)
    assert portal.get("/language/es?next=/account/profile").headers["Location"] == "/account/profile"
    with app.app_context():
        assert Account.get(Account.user_name == "jessicacamp").language == "es"
    portal.get("/language/en?next=/account/profile")
    with app.app_context():
        assert Account.get(Account.user_name == "jessicacamp").language == "en"


# Registration, its errors and its e-mail

def test_registration_errors_are_in_spanish_without_javascript(portal):
    response = portal.post("/register", registration_form(first_name="", **{"TX-city": ""}), headers={**SPANISH})
    page = visible(response)
    assert spanish("Please enter your First Name.") in page and spanish("Please enter your City.") in page
    assert "Please enter your First Name." not in page and "Please enter your City." not in page


@pytest.mark.parametrize(("field", "message"), [("first_name", "Please enter your First Name."),
                                                ("TX-city", "Please enter your City.")])
def test_inline_validation_is_in_spanish(portal, field, message):
    response = portal.post("/register/validate", registration_form(**{field: ""}), htmx=True, trigger=field,
                           headers={**SPANISH})
    assert visible(response).endswith(spanish(message))


def test_a_producer_who_registered_in_spanish_gets_the_activation_e_mail_in_spanish_from_the_cli(app, runner):
    browser = Portal(app.test_client())
    browser.post("/register", registration_form(), headers={**SPANISH})
    assert browser.post("/register/submit", headers={**SPANISH}).status_code == 303
    with app.app_context():
        assert Account.get(Account.user_name == "jessicacamp").language == "es"
    result = runner.invoke(args=["registrations", "activate", "jessicacamp"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        sent = OutboxMessage.select().order_by(OutboxMessage.id.desc()).first()
    assert sent.subject == spanish("Retail Producer Portal Registration Activation")


def test_a_producer_who_registered_in_english_keeps_english_e_mails(app):
    make_account(app, activate=False)
    with app.app_context():
        assert Account.get(Account.user_name == "jessicacamp").language == "en"
        activation.activate("jessicacamp")
        sent = OutboxMessage.select().order_by(OutboxMessage.id.desc()).first()
    assert sent.subject == "Retail Producer Portal Registration Activation"


def test_times_are_written_by_babel_in_spanish_and_as_before_in_english(app):
    moment = datetime.datetime(2026, 12, 7, 19, 56, tzinfo=ZoneInfo("America/Chicago"))
    with app.test_request_context():
        assert local_time(moment) == "Monday, December 7, 2026 at 7:56 PM CST"
        with force_locale("es"):
            # CLDR's Spanish puts a narrow no-break space inside "p. m."
            assert local_time(moment) == "lunes, 7 de diciembre de 2026, 7:56 p.\u202fm. CST"



# State names and the Contact Us numbers' dates: translated on producer pages and e-mails, English on the console

def test_spanish_pages_name_the_states_in_spanish_and_the_plans_as_the_plans_write_them(portal):
    page = visible(portal.get("/register", headers={**SPANISH}))
    new_mexico = spanish("New Mexico")
    assert new_mexico != "New Mexico"
    assert spanish("Register for {state}").format(state=new_mexico) in page
    assert f"Illinois • Montana • {new_mexico} • Oklahoma • Texas" in page
    assert f">{spanish('New York')}</option>" in text(portal.get("/register", headers={**SPANISH}))
    assert "BlueCross BlueShield of New Mexico" in page and "Register for New Mexico" not in page


def test_the_contact_us_numbers_dates_are_whole_spanish_sentences(client):
    page = visible(client.get("/contact-us", headers={**SPANISH}))
    assert spanish("%(number)s prior to May 1, 2019") % {"number": "(800) 538-0382"} in page
    assert spanish("%(number)s on or after Jan 1, 2020") % {"number": "(877) 587-6641"} in page
    assert "prior to" not in page and "on or after" not in page


def test_english_pages_and_the_console_keep_the_english_state_names(app, client):
    assert "Register for New Mexico" in visible(client.get("/register", headers={**ENGLISH}))
    assert "(800) 538-0382 prior to May 1, 2019" in visible(client.get("/contact-us", headers={**ENGLISH}))
    with app.test_request_context("/staff/queue", headers={**SPANISH}):
        assert state_name("NM") == "New Mexico"
    with app.test_request_context("/register", headers={**SPANISH}):
        assert state_name("NM") == spanish("New Mexico")


@pytest.mark.parametrize(("password", "msgid"), [
    ("password1", "Password is one of the most commonly used passwords and is easy to guess. "
                  "Please choose a less common Password."),
    ("xjcamp123", "Password must not contain your User Name."),
    ("abc", "Password must be 6 to 9 characters, letters and/or numbers only (no special characters)."),
])
def test_the_password_rules_are_whole_spanish_sentences(portal, password, msgid):
    form = registration_form(user_name="jcamp123", password=password)
    page = visible(portal.post("/register", form, headers={**SPANISH}))
    assert spanish(msgid) in page and msgid not in page
