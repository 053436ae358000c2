"""Two-step verification: setup, recovery codes, the sign-in step, turning it off; the notices."""
import json
import re

import pyotp

from .samples import SAMPLE_PASSWORD


def two_step_states(gallery):
    """Demo Producer sets up two-step, then signs in with it (from a second browser too)."""
    demo = gallery.visitor()
    demo.sign_in("demoproducer")
    codes = setup_states(gallery, demo)
    demo.page("edit-profile-two-step-on", "Edit Profile with two-step on", "Two-step verification",
              "Account → Edit Profile after setting it up", demo.get("/account/profile"))
    demo.page("two-step-turn-off-wrong", "Turn Off Two-Step Verification with mistakes", "Two-step verification",
              "Turn Off with a wrong Current Password, JavaScript off",
              demo.post("/account/two-step/turn-off",
                        {"turn_off-current_password": "wrong1", "turn_off-code": "123456"}))
    demo.post("/logout")
    demo.page("sign-in-verify", "Two-Step Verification at sign-in", "Two-step verification",
              "Login with the right password", demo.sign_in("demoproducer"))
    demo.page("sign-in-verify-wrong", "Two-Step Verification: wrong code", "Two-step verification",
              "Verify with a wrong code", demo.post("/login/verify", {"code": "000000"}))
    demo.post("/login/verify", {"code": codes[0]})
    gallery.collect_mail("Verify with a recovery code at sign-in")
    elsewhere = gallery.visitor()
    elsewhere.sign_in("demoproducer")
    elsewhere.post("/login/verify", {"code": codes[1]})
    gallery.collect_mail("Login from a browser the account has not used before")


def setup_states(gallery, demo):
    """Set Up Two-Step Verification, a wrong code, then Save Your Recovery Codes; returns the codes."""
    setup = demo.page("two-step-set-up", "Set Up Two-Step Verification", "Two-step verification",
                      "Edit Profile → Set Up Two-Step Verification", demo.get("/account/two-step/set-up"))
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', setup.get_data(as_text=True)).group(1).replace(" ", "")
    demo.page("two-step-set-up-wrong", "Set Up Two-Step Verification: wrong code", "Two-step verification",
              "Verify with a wrong code", demo.post("/account/two-step/set-up", {"code": "000000"}))
    page = demo.page("two-step-recovery-codes", "Save Your Recovery Codes", "Two-step verification",
                     "Verify with the code the app shows",
                     demo.post("/account/two-step/set-up", {"code": pyotp.TOTP(secret).now()}))
    gallery.collect_mail("Two-step verification turned on (or off)")
    return re.findall(r"<li><code>([A-Z2-9-]{11})</code></li>", page.get_data(as_text=True))


def passkey_states(gallery, portal_url):
    """Passkeys (JavaScript on): the section, adding one, the sign-in button and a refused sign-in."""
    from urllib.parse import urlsplit

    from ..soft_authenticator import SoftAuthenticator
    authenticator = SoftAuthenticator("{0.scheme}://{0.netloc}".format(urlsplit(portal_url)))
    demo = gallery.visitor()
    demo.sign_in("alexallen")
    demo.post("/select-state", {"state": "TX"})
    demo.fragment("passkeys", "Passkeys on Edit Profile (JavaScript on)", "Two-step verification",
                  "Edit Profile in a browser with passkeys", demo.get("/account/passkeys", htmx=True))
    demo.fragment("passkey-wrong-password", "Passkeys: Add a Passkey with a wrong Current Password",
                  "Two-step verification", "Add a Passkey, the Current Password wrong",
                  demo.post("/account/passkeys/options", {"passkey-current_password": "wrong12"}, htmx=True))
    options = json.loads(demo.post("/account/passkeys/options", {"passkey-current_password": SAMPLE_PASSWORD},
                                   htmx=True).get_data(as_text=True))
    demo.fragment("passkey-added", "Passkeys: one added", "Two-step verification", "Add a Passkey",
                  demo.post_json("/account/passkeys", {"name": "Work laptop",
                                                       "credential": authenticator.create(options)}))
    gallery.collect_mail("Add a Passkey")
    demo.page("passkeys-page", "Passkeys as a page (Remove works without JavaScript)", "Two-step verification",
              "/account/passkeys opened directly", demo.get("/account/passkeys"))
    stranger = gallery.visitor()
    stranger.fragment("passkey-sign-in", "Sign in with a passkey (JavaScript on)", "Sign-in",
                      "The sign-in page in a browser with passkeys", stranger.get("/login/passkey", htmx=True))
    stranger.fragment("passkey-refused", "Sign in with a passkey: refused", "Sign-in",
                      "A passkey the portal does not know",
                      stranger.post_json("/login/passkey", {"credential": {"id": "x"}}))
