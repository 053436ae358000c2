"""Two-step verification: setup, recovery codes, the sign-in step, turning it off; the notices."""
import re

import pyotp


def two_step_states(gallery):
    """Demo Producer sets up two-step, then signs in with it (from a second browser too)."""
    demo = gallery.visitor()
    demo.sign_in("demoproducer")
    codes = setup_states(gallery, demo)
    demo.page("edit-profile-two-step-on", "Edit Profile with two-step on", "Two-step verification",
              "Account → Edit Profile after setting it up", demo.get("/account/profile"))
    demo.page("two-step-turn-off-wrong", "Turn Off Two-Step Verification with mistakes", "Two-step verification",
              "Turn Off with a wrong Current Password, JavaScript off",
              demo.post("/account/two-step/turn-off", {"turn_off-current_password": "wrong1", "turn_off-code": "123456"}))
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
