"""The Producer Services console: staff sign-in, pending queue, activate/reject, search, unlock, roster upload."""
import io
import re
from datetime import timedelta

import pytest

from rpp import clock
from rpp.models import Account, RosterEntry, SecurityEvent, StaffSession, StaffUser, StateRegistration
from rpp.registration import activation, roster
from rpp.staff.queue import same_name
from tests.helpers import (
    NOT_A_STAFF_ACCOUNT,
    STAFF_LOCKED,
    STAFF_PASSWORD,
    Portal,
    add_staff_user,
    login,
    make_account,
    registration_form,
    staff_login,
    state_registration,
    visible,
)


@pytest.fixture
def pending(app):
    """jessicacamp, registered for Texas and Illinois, waiting for activation."""
    return make_account(app, states=("TX", "IL"), activate=False)


def register(app, user_name, **overrides):
    portal = Portal(app.test_client())
    portal.post("/register", registration_form(user_name=user_name, **overrides))
    assert portal.post("/register/submit").status_code == 303


def events(kind):
    return list(SecurityEvent.select().where(SecurityEvent.kind == kind).order_by(SecurityEvent.id))


# Staff accounts: created from the CLI, separate from producer accounts.

def test_staff_create_with_password_option(runner):
    result = runner.invoke(args=["staff", "create", "Alice", "--password", STAFF_PASSWORD])
    assert result.exit_code == 0 and "Staff user alice created as admin" in result.output  # the first one
    stored = StaffUser.get()
    assert stored.user_name == "alice" and STAFF_PASSWORD not in stored.password_hash
    assert stored.password_hash.startswith("$argon2id$")
    assert Account.select().count() == 0  # not a producer account
    created = events("staff user created")
    assert [e.detail for e in created] == ["staff user alice, admin (by cli)"] and created[0].account is None


def test_staff_create_prompts_for_a_hidden_confirmed_password(runner):
    typed = f"{STAFF_PASSWORD}\nsomething else entirely\n{STAFF_PASSWORD}\n{STAFF_PASSWORD}\n"
    result = runner.invoke(args=["staff", "create", "bob"], input=typed)
    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert "do not match" in result.output  # the first confirmation differed: asked again
    assert STAFF_PASSWORD not in result.output
    assert StaffUser.get().user_name == "bob"


@pytest.mark.parametrize("password", ["bcbs4tx9", "elevenchars", ""])
def test_staff_password_must_be_at_least_12_characters(runner, password):
    result = runner.invoke(args=["staff", "create", "alice", "--password", password])
    assert result.exit_code != 0
    assert "A staff password must be 12 to 128 characters." in result.output
    assert StaffUser.select().count() == 0


def test_staff_user_name_is_unique_ignoring_case(runner):
    runner.invoke(args=["staff", "create", "alice", "--password", STAFF_PASSWORD])
    again = runner.invoke(args=["staff", "create", "ALICE", "--password", STAFF_PASSWORD])
    assert again.exit_code != 0 and "already exists" in again.output
    assert StaffUser.select().count() == 1


def test_staff_user_name_follows_the_user_name_rule(runner):
    result = runner.invoke(args=["staff", "create", "a b", "--password", STAFF_PASSWORD])
    assert result.exit_code != 0 and "staff user name must be 3 to 30 characters" in result.output


# Staff sign-in.

def test_staff_sign_in_page_has_user_name_password_and_login(portal):
    response = portal.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    page = portal.get("/staff/login")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<label for="user_name">User Name' in body and '<label for="password">Password' in body
    assert re.search(r'<button class="button" type="submit">Login</button>', body)
    assert "Producer Services Sign-In" in visible(page)


def test_staff_login_opens_the_pending_queue(portal, staff_user):
    response = staff_login(portal, user_name="Alice")  # staff user names ignore case
    assert response.status_code == 303 and response.headers["Location"] == "/staff/"
    queue = portal.get("/staff/")
    assert queue.status_code == 200
    seen = visible(queue)
    assert "Pending registrations" in seen and "Signed in as alice" in seen
    assert "No registrations are waiting for activation." in seen
    assert StaffSession.select().count() == 1
    [event] = events("staff login")
    assert event.account is None and event.detail == "staff user alice" and event.client_address == "127.0.0.1"


def test_htmx_staff_login_error_is_swapped_into_the_sign_in_box(portal, staff_user):
    response = staff_login(portal, password="wrong password!", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="staff-sign-in"' in body and NOT_A_STAFF_ACCOUNT in visible(response)
    assert staff_login(portal, htmx=True).headers["HX-Redirect"] == "/staff/"


def test_unknown_staff_user_gets_the_same_answer(app, staff_user):
    known = staff_login(Portal(app.test_client()), password="wrong password!")
    unknown = staff_login(Portal(app.test_client()), user_name="mallory")
    assert known.status_code == unknown.status_code == 200
    assert NOT_A_STAFF_ACCOUNT in visible(known) and NOT_A_STAFF_ACCOUNT in visible(unknown)
    details = [e.detail for e in events("staff login failed")]
    assert details == ["staff user alice: attempt 1 of 3", "unknown staff user name"]


def test_third_wrong_staff_password_locks_and_the_right_one_is_refused(portal, staff_user):
    answers = [visible(staff_login(portal, password=f"wrong password {i}")) for i in range(3)]
    assert NOT_A_STAFF_ACCOUNT in answers[0] and NOT_A_STAFF_ACCOUNT in answers[1]
    assert STAFF_LOCKED in answers[2]
    assert "Your account unlocks by itself within 60 minutes; you can then log in again." in answers[2]
    response = staff_login(portal)
    assert response.status_code == 200 and STAFF_LOCKED in visible(response)
    assert portal.get("/staff/").status_code == 302
    assert StaffUser.get().is_locked()
    assert [e.detail for e in events("staff account locked")] == ["staff user alice: 3 unsuccessful login attempts"]
    assert [e.detail for e in events("staff login refused: account locked")] == ["staff user alice"]
    assert all(e.account is None for e in SecurityEvent.select())
    assert all(STAFF_PASSWORD not in e.detail and "wrong" not in e.detail for e in SecurityEvent.select())


def test_staff_lock_lifts_by_itself_and_success_resets_the_count(portal, staff_user, monkeypatch):
    for i in range(3):
        staff_login(portal, password=f"wrong password {i}")
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=59))
    assert STAFF_LOCKED in visible(staff_login(portal))
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=61))
    assert staff_login(portal).status_code == 303
    assert StaffUser.get().failed_logins == 0 and not StaffUser.get().is_locked()


def test_staff_logout_ends_the_session_and_a_replayed_cookie_is_refused(console):
    stolen = console.client.get_cookie("rpp_session").value
    assert console.post("/staff/logout").headers["Location"] == "/staff/login"
    assert console.get("/staff/").status_code == 302
    console.client.set_cookie("rpp_session", stolen)
    assert console.get("/staff/").status_code == 302
    assert StaffSession.select().count() == 0
    assert [e.detail for e in events("staff logout")] == ["staff user alice"]


# Producers never reach the console, and the two kinds of session stay apart.

PUBLIC = {"staff.sign_in", "staff.login", "staff.verify"}


def staff_routes(app):
    """Every (method, URL) of the staff blueprint but its sign-in steps (Login, then Verification Code)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff.") and rule.endpoint not in PUBLIC:
            url = rule.build({name: 1 for name in rule.arguments})[1]
            routes += [(method, url) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


def test_the_blueprint_rules_are_enumerated(app):
    urls = {url for _, url in staff_routes(app)}
    assert {"/staff/", "/staff/producers", "/staff/producers/1", "/staff/producers/1/unlock",
            "/staff/registrations/1/activate", "/staff/registrations/1/reject", "/staff/roster",
            "/staff/logout"} <= urls


@pytest.mark.parametrize("who", ["producer", "anonymous"])
@pytest.mark.parametrize("htmx", [False, True])
def test_producers_cannot_reach_any_staff_page(app, portal, pending, who, htmx):
    with app.app_context():
        activation.activate("jessicacamp", "TX")
    if who == "producer":
        assert login(portal).status_code == 303
        assert portal.get("/home").status_code == 200
    for method, url in staff_routes(app):
        response = portal.get(url, htmx=htmx) if method == "GET" else portal.post(url, {"reason": "x"}, htmx=htmx)
        target = response.headers.get("HX-Redirect") if htmx else response.headers.get("Location")
        assert response.status_code in (204, 302, 303, 403) and target == "/staff/login", (method, url)
    assert state_registration("IL").status == "pending"
    assert events("account unlocked") == [] and events("roster imported") == []


def test_a_producer_password_does_not_open_the_console(portal, pending):
    response = staff_login(portal, user_name="jessicacamp", password="bcbs4tx9")
    assert NOT_A_STAFF_ACCOUNT in visible(response)
    assert portal.get("/staff/").status_code == 302


def test_a_staff_session_does_not_sign_in_a_producer(console):
    assert console.get("/home").status_code == 302
    assert "Edit Profile" not in visible(console.get("/contact-us"))  # the producer Account menu stays signed out


def test_staff_pages_have_the_console_menu_not_the_producers(console):
    body = console.get("/staff/").get_data(as_text=True)
    assert '<nav class="console-menu" aria-label="Producer Services console">' in body
    assert "<summary>Account</summary>" not in body and 'href="/register"' not in body
    assert "Signed in as alice" in visible(console.get("/staff/"))


def test_staff_login_ends_a_producer_sign_in_in_the_same_browser(app, portal, staff_user):
    make_account(app)
    login(portal)
    staff_login(portal)
    assert portal.get("/home").status_code == 302
    assert portal.get("/staff/").status_code == 200


# Activate and reject one registration from the producer's page: the CLI's own functions.

def producer_page(console):
    return console.get(f"/staff/producers/{Account.get().id}")


def test_activate_from_the_producer_page_sends_the_email_and_changes_status(console, pending, outbox):
    tx = state_registration("TX")
    response = console.post(f"/staff/registrations/{tx.id}/activate")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/producers/{Account.get().id}"
    seen = visible(producer_page(console))
    assert "Activated jessicacamp in Texas; e-mail queued for testproducer@gmail.com." in seen
    assert state_registration("TX").status == "active" and state_registration("IL").status == "pending"
    [message] = outbox
    assert message.subject == "Retail Producer Portal Registration Activation"
    assert message.to == ["testproducer@gmail.com"]
    assert "This notice is to alert you that your registration request has been activated." in message.body
    assert "(888) 697-0679" in message.body
    [event] = events("registration activated")
    assert event.account.user_name == "jessicacamp" and event.detail == "TX by alice"


def test_activate_with_htmx_updates_the_producer_page_in_place(console, pending, outbox):
    tx = state_registration("TX")
    response = console.post(f"/staff/registrations/{tx.id}/activate", htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and 'id="account-detail"' in body
    seen = visible(response)
    assert "Activated jessicacamp in Texas; e-mail queued for testproducer@gmail.com." in seen
    assert ">Activate<span class=\"visually-hidden\"> Texas" not in body
    assert ">Activate<span class=\"visually-hidden\"> Illinois" in body
    assert "HX-Request" in response.headers["Vary"] and len(outbox) == 1


def test_activating_a_registration_already_decided_says_so(console, pending, outbox):
    tx = state_registration("TX")
    console.post(f"/staff/registrations/{tx.id}/activate")
    again = console.post(f"/staff/registrations/{tx.id}/activate", htmx=True)
    assert "jessicacamp has no pending registration in Texas." in visible(again)
    assert len(outbox) == 1


def test_reject_from_the_producer_page_needs_a_reason(console, pending, outbox):
    tx = state_registration("TX")
    response = console.post(f"/staff/registrations/{tx.id}/reject", {f"registration-{tx.id}-reason": "  "})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert re.search(rf'id="registration-{tx.id}-reason-error".*Please enter the reason for rejecting this '
                     r'registration\.', body, re.S)
    assert f'aria-describedby="registration-{tx.id}-reason-error"' in body
    assert state_registration("TX").status == "pending" and outbox == []
    htmx = console.post(f"/staff/registrations/{tx.id}/reject", {f"registration-{tx.id}-reason": ""}, htmx=True)
    assert "<html" not in htmx.get_data(as_text=True) and "Please enter the reason" in visible(htmx)


def test_reject_from_the_producer_page_sends_the_email_and_changes_status(console, pending, outbox):
    il = state_registration("IL")
    reason = "Agent ID belongs to another agency"
    response = console.post(f"/staff/registrations/{il.id}/reject", {f"registration-{il.id}-reason": reason})
    assert response.status_code == 303
    rejected = "Rejected jessicacamp in Illinois; e-mail queued for testproducer@gmail.com."
    assert rejected in visible(producer_page(console))
    stored = state_registration("IL")
    assert stored.status == "rejected" and stored.rejection_reason == reason
    [message] = outbox
    assert message.subject == "Retail Producer Portal Registration Not Activated" and reason in message.body
    [event] = events("registration rejected")
    assert event.detail == f"IL: {reason} (by alice)"


def test_reject_with_htmx_updates_the_producer_page_in_place(console, pending, outbox):
    il = state_registration("IL")
    response = console.post(f"/staff/registrations/{il.id}/reject",
                            {f"registration-{il.id}-reason": "Not contracted"}, htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="account-detail"' in body
    assert "Rejected" in visible(response) and ": Not contracted" in visible(response)
    assert len(outbox) == 1


def test_unknown_registration_is_not_found(console):
    assert console.post("/staff/registrations/999/activate").status_code == 404


def test_a_post_without_the_csrf_token_is_refused(console, pending, outbox):
    tx = state_registration("TX")
    response = console.post(f"/staff/registrations/{tx.id}/activate", csrf=False)
    assert response.status_code == 400
    assert state_registration("TX").status == "pending" and outbox == []


# Producer search and the account page.

@pytest.mark.parametrize("query", ["jessicacamp", "JESSICA", "Jessica Camp", "camp", "999999999", "1111",
                                   "testproducer@gmail.com", "TESTPRODUCER"])
def test_search_finds_a_producer_by_user_name_name_agent_id_or_email(app, console, pending, query):
    make_account(app, "someoneelse", states=("OK",))
    Account.update(first_name="Other", last_name="Person").where(Account.user_name == "someoneelse").execute()
    StateRegistration.update(email="other@example.com").where(StateRegistration.state == "OK").execute()
    response = console.get(f"/staff/producers?q={query}")
    seen = visible(response)
    assert f"1 producer found for “{query}”" in seen
    assert "jessicacamp Jessica Camp" in seen and "someoneelse" not in seen
    account_id = Account.get(Account.user_name == "jessicacamp").id
    assert f'href="/staff/producers/{account_id}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["nobody", "%", "_"])
def test_search_without_a_match_says_so(console, pending, query):
    assert "No producer matches." in visible(console.get("/staff/producers", query_string={"q": query}))


def test_search_with_htmx_returns_the_results_only(console, pending):
    response = console.get("/staff/producers?q=camp", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="search-results"' in body and "jessicacamp" in body
    assert response.headers["HX-Push-Url"] == "/staff/producers?q=camp"


def test_account_page_shows_registrations_lock_status_and_events(app, console, pending):
    account = Account.get()
    page = console.get(f"/staff/producers/{account.id}")
    seen = visible(page)
    assert "User Name jessicacamp First Name Jessica Last Name Camp" in seen
    assert "Illinois 111111111 Pending" in seen and "Texas 999999999 Pending" in seen
    assert "(815) 555-1212" in seen and "Not locked." in seen
    assert ">Unlock</button>" not in page.get_data(as_text=True)
    assert "registration submitted" in seen
    assert console.get("/staff/producers/999").status_code == 404


def test_unlock_from_the_account_page(app, console, pending):
    with app.app_context():
        activation.activate("jessicacamp")
    producer = Portal(app.test_client())
    for _ in range(3):
        login(producer, password="wrong1")
    account = Account.get()
    page = console.get(f"/staff/producers/{account.id}")
    assert "Locked until" in visible(page) and "login failed" in visible(page)
    response = console.post(f"/staff/producers/{account.id}/unlock")
    assert response.status_code == 303 and response.headers["Location"] == f"/staff/producers/{account.id}"
    seen = visible(console.get(response.headers["Location"]))
    assert "Unlocked jessicacamp." in seen and "Not locked." in seen and "account unlocked by alice" in seen
    assert not Account.get().is_locked() and Account.get().failed_logins == 0
    assert login(producer).status_code == 303
    [event] = events("account unlocked")
    assert event.account.id == account.id and event.detail == "by alice"


def test_unlock_with_htmx_updates_the_account_in_place(app, console, pending):
    producer = Portal(app.test_client())
    for _ in range(3):
        login(producer, password="wrong1")
    account = Account.get()
    response = console.post(f"/staff/producers/{account.id}/unlock", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and 'id="account-detail"' in body
    assert "Unlocked jessicacamp." in visible(response) and "Not locked." in visible(response)


# Roster upload: the CLI's own all-or-nothing import.

def upload(console, content, name="roster.csv", htmx=False):
    data = {"roster_file": (io.BytesIO(content if isinstance(content, bytes) else content.encode()), name)}
    return console.post("/staff/roster", data, htmx=htmx, content_type="multipart/form-data")


def test_roster_page_has_the_upload_form(console):
    body = console.get("/staff/roster").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in body and '<label for="roster_file">Roster file (CSV)' in body
    assert ">Upload roster</button>" in body


def apply(console, response):
    token = re.search(r'name="upload" value="([^"]+)"', response.get_data(as_text=True)).group(1)
    return console.post("/staff/roster/apply", {"upload": token})


def test_roster_upload_shows_the_changes_and_applies_them_only_on_apply(app, console):
    make_account(app, states=("TX",))  # jessicacamp is active with TX 999999999
    content = ("state,agent_id,first_name,last_name\n"
               "TX,999999998,Demo,Producer\n"       # unchanged
               "IL,111111112,Demo,Producerson\n"    # name changed
               "IL,111111111,Jessica,Camp\n"        # unchanged
               "IL,111111113,New,Producer\n")       # new; TX 999999999 is not in the file
    before = RosterEntry.select().count()
    response = upload(console, "\ufeff" + content)  # Excel's "CSV UTF-8" starts with a BOM
    assert response.status_code == 200
    seen = visible(response)
    assert ("Check the changes in roster.csv For Illinois, Texas: 1 new ID, 1 changed name, 1 removed, "
            "2 unchanged. Nothing has changed yet.") in seen
    assert "1 ID would disappear while an active registration uses it" in seen
    assert "Texas 999999999: jessicacamp , active since" in seen  # (a link, then the comma)
    assert "New IDs (1) State Agent ID Name IL 111111113 New Producer" in seen
    assert "IL 111111112 Demo Producer → Demo Producerson" in seen
    assert RosterEntry.select().count() == before and events("roster imported") == []
    applied = apply(console, response)
    assert applied.status_code == 303 and applied.headers["Location"] == "/staff/roster"
    assert ("Roster imported: 1 added, 1 updated, 2 unchanged, 1 removed."
            in visible(console.get("/staff/roster")))
    assert RosterEntry.get(RosterEntry.agent_id == "111111113").first_name == "New"
    assert RosterEntry.get(RosterEntry.agent_id == "111111112").last_name == "Producerson"
    assert RosterEntry.get_or_none(RosterEntry.agent_id == "999999999") is None
    assert RosterEntry.get_or_none(RosterEntry.state == "MT") is not None  # states not in the file stay
    [event] = events("roster imported")
    assert event.detail == "1 added, 1 updated, 2 unchanged, 1 removed, by alice" and event.account is None
    again = apply(console, response)  # applied once only
    assert "That roster file has already been applied" in visible(console.get("/staff/roster"))
    assert again.status_code == 303 and len(events("roster imported")) == 1


def test_roster_upload_with_htmx_shows_the_preview_in_place(console):
    response = upload(console, "state,agent_id\nNM,333333334\nNM,333333333\n", htmx=True)
    assert "<html" not in response.get_data(as_text=True)
    assert "1 new ID, 0 changed names, 0 removed, 1 unchanged. Nothing has changed yet." in visible(response)
    assert ">Apply</button>" in response.get_data(as_text=True)


def test_roster_upload_that_changes_nothing_says_so(console):
    response = upload(console, "state,agent_id,first_name,last_name\nMT,222222222,Jessica,Camp\n")
    assert "The roster already matches this file: there is nothing to apply." in visible(response)
    assert ">Apply</button>" not in response.get_data(as_text=True)


def test_an_upload_is_applied_only_by_the_staff_user_who_uploaded_it(app, console):
    response = upload(console, "state,agent_id\nNM,333333339\n")
    with app.app_context():
        add_staff_user("bob")
    bob = Portal(app.test_client())
    staff_login(bob, user_name="bob")
    apply(bob, response)
    assert RosterEntry.get_or_none(RosterEntry.agent_id == "333333339") is None


def test_roster_upload_with_a_bad_file_stores_nothing_and_lists_every_bad_line(console):
    before = [(e.state, e.agent_id, e.first_name, e.last_name) for e in RosterEntry.select().order_by(RosterEntry.id)]
    content = ("state,agent_id,first_name,last_name\n"
               "OK,444444445,Good,Row\n"
               "ZZ,123456789,Bad,State\n"
               "TX,12345,Short,Id\n"
               "TX,999999999,Jessica,Renamed\n")
    response = upload(console, content)
    assert response.status_code == 200
    seen = visible(response)
    assert "Nothing imported: 2 bad line(s)." in seen
    assert "line 3: state 'ZZ' is not one of IL, MT, NM, OK, TX" in seen
    assert "line 4: agent_id '12345' is not exactly 9 digits" in seen
    after = [(e.state, e.agent_id, e.first_name, e.last_name) for e in RosterEntry.select().order_by(RosterEntry.id)]
    assert after == before
    assert events("roster imported") == []
    assert [e.detail for e in events("roster upload refused")] == ["2 bad line(s), by alice"]


@pytest.mark.parametrize("htmx", [False, True])
def test_a_roster_file_of_many_bad_lines_lists_the_first_100_problems_and_counts_the_others(console, htmx):
    content = "state,agent_id\n" + "Z" * 5000 + ",1\n" + "ZZ,1\n" * 100_000  # 500 KB of bad lines
    response = upload(console, content, htmx=htmx)
    assert response.status_code == 200 and len(response.get_data()) < 30_000
    seen = visible(response)
    assert "Nothing imported: 100001 bad line(s)." in seen
    assert "line 2: state '" + "Z" * 20 + "…' is not one of IL, MT, NM, OK, TX" in seen
    assert "line 51: agent_id '1' is not exactly 9 digits" in seen and "line 52:" not in seen
    assert ("And 199902 more problems after these. Correct these lines and upload the file again to see the "
            "next ones.") in seen
    assert [e.detail for e in events("roster upload refused")] == ["100001 bad line(s), by alice"]


def test_roster_line_numbers_count_the_lines_of_the_file(console):
    content = "state,agent_id,first_name\nTX,999999999,\"Two\nLines\"\n\nZZ,123456789,Blank above\nTX,999999999,x\n"
    seen = visible(upload(console, content))
    assert "line 5: state 'ZZ' is not one of IL, MT, NM, OK, TX" in seen
    assert "line 6: TX 999999999 repeats line 3" in seen


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfe\x00b\x00a\x00d", "The file is not UTF-8 text"),
    (b"", "the header must name the columns state,agent_id"),
    (b"name,phone\nx,y\n", "the header must name the columns state,agent_id"),
])
def test_roster_upload_of_something_else_is_explained(console, content, message):
    count = RosterEntry.select().count()
    response = upload(console, content)
    assert response.status_code == 200 and message in visible(response)
    assert RosterEntry.select().count() == count


def test_roster_upload_needs_a_file(console):
    response = console.post("/staff/roster", {}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Please choose the roster CSV file to upload." in visible(response)


def test_roster_upload_too_large_is_refused(app, console):
    app.config["ROSTER_UPLOAD_MAX_BYTES"] = 10_000
    count = RosterEntry.select().count()
    content = "state,agent_id\n" + "".join(f"TX,{n:09d}\n" for n in range(1000))
    response = upload(console, content)
    assert "The file is larger than 10 KB; split it into smaller files." in visible(response)
    assert RosterEntry.select().count() == count


# Every staff action leaves its event, naming the staff user.

def test_every_staff_action_leaves_an_event_naming_the_staff_user(app, console, pending):
    tx, il = state_registration("TX"), state_registration("IL")
    console.post(f"/staff/registrations/{tx.id}/activate")
    console.post(f"/staff/registrations/{il.id}/reject", {f"registration-{il.id}-reason": "Not contracted"})
    console.post(f"/staff/producers/{Account.get().id}/unlock")
    apply(console, upload(console, "state,agent_id\nMT,222222223\nMT,222222222\n"))
    console.post("/staff/logout")
    kinds = ["staff login", "registration activated", "registration rejected", "account unlocked",
             "roster imported", "staff logout"]
    recorded = {e.kind: e for e in SecurityEvent.select().where(SecurityEvent.kind.in_(kinds))}
    assert set(recorded) == set(kinds)
    for kind, event in recorded.items():
        assert "alice" in event.detail, kind
        assert event.client_address == "127.0.0.1"


# The console's pages.

def test_console_pages_are_complete_pages_without_inline_script_or_style(console, pending):
    account_id = Account.get().id
    for path in ("/staff/", "/staff/producers?q=camp", f"/staff/producers/{account_id}", "/staff/roster",
                 "/staff/login"):
        response = console.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code in (200, 302), path
        if response.status_code == 200:
            assert body.startswith("<!doctype html>") and "Producer Services" in body
            assert not re.search(r"<script(?![^>]*\bsrc=)", body) and " style=" not in body
            assert response.headers["Cache-Control"] == "no-store"


def test_console_nav_links_every_console_page(console):
    body = console.get("/staff/").get_data(as_text=True)
    for href in ('href="/staff/"', 'href="/staff/producers"', 'href="/staff/roster"'):
        assert href in body
    assert re.search(r'<form method="post" action="/staff/logout">.*?>Logout</button>', body, re.S)


def test_roster_names_are_stored_composed_and_compare_with_the_registered_name_in_any_form():
    rows = roster.parse_roster("state,agent_id,first_name,last_name\nTX,999999999,Jose\u0301,Nu\u0301n\u0303ez\n")
    assert (rows[0]["first_name"], rows[0]["last_name"]) == ("José", "Núñez")
    assert same_name("Jose\u0301  Luis", "JOSÉ Luis") and not same_name("Jose", "José")
