"""Where You're Signed In: each session with its browser, and signing them out."""
import re

import pytest

from rpp.login_sessions.service import describe_browser
from rpp.messages import text
from rpp.models import LoginSession, SecurityEvent
from tests.helpers import Portal, login, make_account, visible

PASSWORD = "Qz7wv3Rt"
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def account(app):
    return make_account(app, password=PASSWORD)


def browser(app, user_agent):
    """Another browser, signed in to the account."""
    portal = Portal(app.test_client())
    assert login(portal, password=PASSWORD, headers={"User-Agent": user_agent}).status_code == 303
    return portal


@pytest.mark.parametrize("user_agent, shown", [
    (CHROME, "Chrome 120 on Windows"),
    (FIREFOX, "Firefox 128 on Linux"),
    ("w3m/0.5.3+git20230121", "w3m 0.5.3"),
    ("", "Unknown browser"),
])
def test_browser_and_system_are_named_from_the_user_agent(user_agent, shown):
    assert describe_browser(user_agent) == shown


def test_edit_profile_lists_every_session_with_browser_address_and_times(app, account):
    chrome = browser(app, CHROME)
    browser(app, FIREFOX)
    page = visible(chrome.get("/account/profile"))
    assert "Where You’re Signed In" in page
    assert "Chrome 120 on Windows This browser" in page
    assert "Firefox 128 on Linux" in page
    assert page.count("Client address: 127.0.0.1") == 2
    assert "Signed in:" in page and "Last active:" in page
    assert "Sign Out Everywhere Else" in page
    with app.app_context():
        assert all(row.token not in chrome.get("/account/profile").get_data(as_text=True)
                   for row in LoginSession.select())  # tokens are never shown


def test_sign_out_ends_that_other_session_only(app, account):
    chrome = browser(app, CHROME)
    firefox = browser(app, FIREFOX)
    page = chrome.get("/account/profile").get_data(as_text=True)
    action = re.search(r'action="(/account/sessions/[0-9a-f]{16}/sign-out)"', page).group(1)
    response = chrome.post(action)
    assert response.status_code == 303
    assert text("login_sessions.signed_out") in visible(chrome.get(response.headers["Location"]))
    assert firefox.get("/account/profile").status_code == 302  # signed out
    assert chrome.get("/account/profile").status_code == 200
    with app.app_context():
        assert SecurityEvent.select().where(SecurityEvent.kind == "signed out another session").count() == 1


def test_sign_out_everywhere_else_with_htmx_keeps_this_browser(app, account):
    chrome = browser(app, CHROME)
    others = [browser(app, FIREFOX) for _ in range(2)]
    chrome.get("/account/profile")
    response = chrome.post("/account/sessions/sign-out-everywhere-else", htmx=True)
    assert response.status_code == 200 and "<html" not in response.get_data(as_text=True)
    assert text("login_sessions.signed_out_everywhere_else") in visible(response)
    assert all(other.get("/account/profile").status_code == 302 for other in others)
    assert chrome.get("/account/profile").status_code == 200


def test_a_session_of_another_account_cannot_be_signed_out(app, account):
    make_account(app, user_name="otherproducer", password=PASSWORD, states=("IL",))
    other = Portal(app.test_client())
    login(other, user_name="otherproducer", password=PASSWORD)
    chrome = browser(app, CHROME)
    page = other.get("/account/profile").get_data(as_text=True)
    own_id = re.search(r'/account/sessions/([0-9a-f]{16})/sign-out', page)
    assert own_id is None  # only this browser: nothing to sign out
    with app.app_context():
        from rpp.login_sessions.service import public_id
        from rpp.models import Account
        other_account = Account.get(Account.user_name == "otherproducer")
        token = LoginSession.select().where(LoginSession.account == other_account).get().token
    assert chrome.post(f"/account/sessions/{public_id(token)}/sign-out").status_code == 404
    assert other.get("/account/profile").status_code == 200


def closed(response):
    """Mail goes out once the response has been sent."""
    response.close()
    return response


def test_a_sign_in_from_a_new_browser_is_e_mailed_but_not_the_first_or_a_known_one(app, account, outbox):
    chrome = Portal(app.test_client())
    closed(login(chrome, password=PASSWORD, headers={"User-Agent": CHROME}))
    assert outbox == []  # the account's first browser
    chrome.post("/logout")
    closed(login(chrome, password=PASSWORD, headers={"User-Agent": CHROME}))
    assert outbox == []  # the same browser again (its cookie)
    firefox = Portal(app.test_client())
    closed(login(firefox, password=PASSWORD, headers={"User-Agent": FIREFOX}))
    assert [m.subject for m in outbox] == [text("email.new_browser")]
    assert "Browser: Firefox 128 on Linux" in outbox[0].body
    assert "Client address: 127.0.0.1" in outbox[0].body


def test_the_browser_cookie_is_long_lived_and_http_only(app, account):
    response = login(Portal(app.test_client()), password=PASSWORD)
    cookie = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith("rpp_browser="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=34560000" in cookie


def test_changing_the_password_is_e_mailed_without_the_password(app, account, outbox):
    portal = browser(app, CHROME)
    response = portal.post("/account/change-password", {"current_password": PASSWORD, "new_password": "Nw5pLx8k",
                                                        "confirm_new_password": "Nw5pLx8k"})
    closed(response)
    assert outbox[-1].subject == text("email.password_changed")
    assert "Nw5pLx8k" not in outbox[-1].body and "signed out" in outbox[-1].body
