"""Passkeys through the test client, with a software authenticator: add, sign in, refuse, remove."""
import json

import pytest

from rpp.devtools.soft_authenticator import SoftAuthenticator
from rpp.messages import text
from rpp.models import Account, Passkey, SecurityEvent
from tests.helpers import LOCKED, Portal, login, make_account, visible

ORIGIN = "https://portal.example.test"  # PORTAL_URL in the test settings: the relying party


@pytest.fixture
def account(app):
    return make_account(app)


@pytest.fixture
def signed_in(portal, account):
    assert login(portal).status_code == 303
    return portal


def post_json(portal, path, body):
    portal.token or portal.get("/contact-us")
    return portal.client.post(path, data=json.dumps(body), content_type="application/json",
                              headers={"X-CSRFToken": portal.token, "HX-Request": "true"})


PASSWORD = "bcbs4tx9"


def add_passkey(portal, authenticator, name="Work laptop", password=PASSWORD):
    """Add a Passkey as passkeys.js does: the Current Password first, then the browser's new credential."""
    answer = portal.post("/account/passkeys/options", {"passkey-current_password": password}, htmx=True)
    options = json.loads(answer.get_data(as_text=True))
    return post_json(portal, "/account/passkeys", {"name": name, "credential": authenticator.create(options)})


def remove_passkey(portal, passkey_id, password=PASSWORD, htmx=True):
    return portal.post("/account/passkeys/remove", {"passkey-passkey_id": passkey_id,
                                                     "passkey-current_password": password}, htmx=htmx)


def sign_in_with_passkey(portal, authenticator):
    options = json.loads(post_json(portal, "/login/passkey/options", {}).get_data(as_text=True))
    return post_json(portal, "/login/passkey", {"credential": authenticator.get(options, "portal.example.test")})


def test_a_passkey_is_added_named_and_told_by_e_mail(app, signed_in, outbox):
    authenticator = SoftAuthenticator(ORIGIN)
    response = add_passkey(signed_in, authenticator)
    response.close()
    assert response.status_code == 200
    assert "Your passkey “Work laptop” was added." in visible(response)
    with app.app_context():
        assert Passkey.get().name == "Work laptop"
        assert SecurityEvent.select().where(SecurityEvent.kind == "passkey added").count() == 1
    assert outbox[-1].subject == text("email.passkey_added")


def test_a_passkey_signs_in_as_both_steps(app, signed_in, portal):
    authenticator = SoftAuthenticator(ORIGIN)
    add_passkey(signed_in, authenticator)
    signed_in.post("/logout")
    response = sign_in_with_passkey(portal, authenticator)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith("/home")
    assert portal.get("/home").status_code == 200


def test_a_passkey_from_another_origin_is_refused(app, signed_in):
    response = add_passkey(signed_in, SoftAuthenticator("https://evil.example"))
    assert response.status_code == 400 and text("passkeys.not_added") in visible(response)
    with app.app_context():
        assert Passkey.select().count() == 0


def test_a_challenge_is_good_once(app, signed_in, portal):
    authenticator = SoftAuthenticator(ORIGIN)
    add_passkey(signed_in, authenticator)
    signed_in.post("/logout")
    options = json.loads(post_json(portal, "/login/passkey/options", {}).get_data(as_text=True))
    answer = authenticator.get(options, "portal.example.test")
    assert post_json(portal, "/login/passkey", {"credential": answer}).status_code == 204
    other = Portal(app.test_client())
    replay = post_json(other, "/login/passkey", {"credential": answer})
    assert replay.status_code == 400 and text("passkeys.not_signed_in") in visible(replay)


def test_a_locked_account_is_refused_with_a_passkey_too(app, signed_in, portal):
    authenticator = SoftAuthenticator(ORIGIN)
    add_passkey(signed_in, authenticator)
    signed_in.post("/logout")
    for _ in range(3):
        login(portal, password="wrong1")
    response = sign_in_with_passkey(portal, authenticator)
    assert response.headers["HX-Redirect"].endswith("/")
    assert "temporarily locked" in visible(portal.get("/"))


@pytest.mark.parametrize("name", ["", "x" * 51, "bell\x07"])
def test_a_passkey_needs_a_good_name(app, signed_in, name):
    response = add_passkey(signed_in, SoftAuthenticator(ORIGIN), name=name)
    assert response.status_code == 400 and "Please enter a Passkey Name" in visible(response)


@pytest.mark.parametrize("body", [None, {}, {"credential": "x"}, {"credential": {"id": 5}}, [1, 2]])
def test_junk_is_a_bad_request_never_a_500(signed_in, body):
    for path in ("/account/passkeys", "/login/passkey"):
        assert post_json(signed_in, path, body).status_code == 400


def test_removing_a_passkey(app, signed_in):
    add_passkey(signed_in, SoftAuthenticator(ORIGIN))
    with app.app_context():
        passkey_id = Passkey.get().id
    response = remove_passkey(signed_in, passkey_id)
    assert text("passkeys.removed") in visible(response)
    assert remove_passkey(signed_in, passkey_id).status_code == 404


def test_a_passkey_is_added_only_with_the_current_password(app, signed_in):
    """A session cookie alone adds no lasting way in: the options (and so the challenge `add` needs) come
    only after the Current Password, and a wrong one counts toward the lockout."""
    wrong = signed_in.post("/account/passkeys/options", {"passkey-current_password": "wrong12"}, htmx=True)
    assert wrong.status_code == 400 and text("password.wrong_current") in visible(wrong)
    empty = signed_in.post("/account/passkeys/options", {}, htmx=True)
    assert empty.status_code == 400 and "Please enter your Current Password." in visible(empty)
    forged = post_json(signed_in, "/account/passkeys", {"name": "Mine", "credential": {"id": "x", "response": {}}})
    assert forged.status_code == 400 and text("passkeys.not_added") in visible(forged)
    with app.app_context():
        assert not Passkey.select().exists()
        assert Account.get().failed_logins == 1
        assert SecurityEvent.select().where(SecurityEvent.kind == "passkey change refused").count() == 1


def test_wrong_current_passwords_on_passkeys_lock_and_sign_out(app, signed_in):
    for _ in range(2):
        signed_in.post("/account/passkeys/options", {"passkey-current_password": "wrong12"}, htmx=True)
    third = signed_in.post("/account/passkeys/options", {"passkey-current_password": "wrong12"}, htmx=True)
    assert third.headers["HX-Redirect"] == "/"
    assert LOCKED in visible(signed_in.get("/"))
    assert signed_in.get("/home").status_code == 302
    with app.app_context():
        assert Account.get().is_locked()


def test_removing_a_passkey_needs_the_current_password_and_works_without_javascript(app, signed_in):
    add_passkey(signed_in, SoftAuthenticator(ORIGIN))
    with app.app_context():
        passkey_id = Passkey.get().id
    page = signed_in.get("/account/passkeys")  # as a page: a full page with Remove (plain forms)
    assert "<title>Passkeys" in page.get_data(as_text=True) and "Remove Work laptop" in page.get_data(as_text=True)
    assert "Remove Work laptop" in signed_in.get("/account/profile").get_data(as_text=True)  # and on Edit Profile
    wrong = remove_passkey(signed_in, passkey_id, password="wrong12", htmx=False)
    assert wrong.status_code == 400 and text("password.wrong_current") in visible(wrong)
    with app.app_context():
        assert Passkey.select().count() == 1
    done = remove_passkey(signed_in, passkey_id, htmx=False)  # back to Edit Profile, at Passkeys, saying so
    assert done.status_code == 303 and done.headers["Location"].endswith("/account/profile#passkeys-title")
    assert text("passkeys.removed") in visible(signed_in.get(done.headers["Location"]))
    with app.app_context():
        assert not Passkey.select().exists()


def test_passkey_pages_need_a_sign_in(portal):
    assert portal.get("/account/passkeys").status_code == 302
    assert portal.get("/login/passkey", headers={"HX-Request": "true"}).status_code == 200  # the sign-in button


def test_the_pieces_passkeys_js_loads_are_pages_elsewhere(signed_in):
    """Asked for as a page (a bookmark, a new tab), a piece of a page is never a bare fragment without a title
    or a language: the Passkeys section is a page of its own, the sign-in button sends the browser to the
    sign-in page; passkeys.js still gets the pieces."""
    page = signed_in.get("/account/passkeys")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="en">' in body and "<title>Passkeys" in body
    button = signed_in.get("/login/passkey")
    assert button.status_code == 303 and button.headers["Location"].endswith("/")
    for path, piece in (("/account/passkeys", '<div id="passkeys-section">'),
                        ("/login/passkey", '<div class="passkey-sign-in">')):
        loaded = signed_in.get(path, headers={"HX-Request": "true"})
        assert piece in loaded.get_data(as_text=True).lstrip()[:200]
        assert "HX-Request" in loaded.headers["Vary"]
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in button.headers["Vary"]
