"""Passkeys through the test client, with a software authenticator: add, sign in, refuse, remove."""
import json

import pytest

from rpp.devtools.soft_authenticator import SoftAuthenticator
from rpp.messages import text
from rpp.models import Account, Passkey, SecurityEvent
from tests.helpers import Portal, login, make_account, visible

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


def add_passkey(portal, authenticator, name="Work laptop"):
    options = json.loads(post_json(portal, "/account/passkeys/options", {}).get_data(as_text=True))
    return post_json(portal, "/account/passkeys", {"name": name, "credential": authenticator.create(options)})


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
    response = post_json(signed_in, f"/account/passkeys/{passkey_id}/remove", {})
    assert text("passkeys.removed") in visible(response)
    assert post_json(signed_in, f"/account/passkeys/{passkey_id}/remove", {}).status_code == 404


def test_passkey_pages_need_a_sign_in(portal):
    assert portal.get("/account/passkeys").status_code == 302
    assert portal.get("/login/passkey", headers={"HX-Request": "true"}).status_code == 200  # the sign-in button


def test_the_pieces_passkeys_js_loads_are_pages_elsewhere(signed_in):
    """Asked for as a page (a bookmark, a new tab), a piece of a page sends the browser to its page rather
    than showing a bare fragment without a title or a language; passkeys.js still gets the piece."""
    for path, page, piece in (("/account/passkeys", "/account/profile", '<h2 id="passkeys-title">'),
                              ("/login/passkey", "/", '<div class="passkey-sign-in">')):
        response = signed_in.get(path)
        assert response.status_code == 303 and response.headers["Location"].endswith(page)
        loaded = signed_in.get(path, headers={"HX-Request": "true"})
        assert loaded.get_data(as_text=True).lstrip().startswith(piece)
        assert "HX-Request" in response.headers["Vary"] and "HX-Request" in loaded.headers["Vary"]
