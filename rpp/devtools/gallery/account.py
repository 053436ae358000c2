"""Signed in: Select a State, Home, Edit Profile, Change Password and Register for Another State."""
from .samples import SAMPLE_PASSWORD, activate, register, sample_registration, state_details


def change_password_required(gallery, temporary):
    """Login with a temporary password leads to Change Password."""
    locked_out = gallery.visitor()
    locked_out.page("change-password-required", "Change Password after a temporary password", "Edit Profile",
                    "Login with the temporary password from the e-mail",
                    locked_out.sign_in("larrylocke", temporary))


def signed_in_states(gallery):
    """Jessica Camp, active in Texas and Illinois, goes through every signed-in page."""
    register(gallery, "jessicacamp", "Jessica", "Camp", {"TX": "999999999", "IL": "111111111"})
    activate(gallery, "jessicacamp")
    jessica = gallery.visitor()
    jessica.page("select-state", "Select a State", "Signed in", "Login when active in several states",
                 jessica.sign_in("jessicacamp"))
    jessica.page("select-state-error", "Select a State without a choice", "Signed in",
                 "Continue without choosing", jessica.post("/select-state", {}))
    jessica.post("/select-state", {"state": "TX"})
    profile_states(jessica)
    password_states(jessica)
    another_state_states(gallery, jessica)


def profile_states(jessica):
    """Edit Profile: the form, its mistakes, inline validation and the update (page and htmx)."""
    jessica.page("edit-profile", "Edit Profile", "Edit Profile", "Account → Edit Profile",
                 jessica.get("/account/profile"))
    jessica.page("edit-profile-errors", "Edit Profile with mistakes", "Edit Profile",
                 "Update Profile with mistakes",
                 jessica.post("/account/profile", state_details(zip_code="752", phone="555", email="jessica@")))
    jessica.fragment("field-error-profile", "Inline validation on Edit Profile (htmx)", "Edit Profile",
                     "Leave Zip Code with a mistake, JavaScript on",
                     jessica.post("/account/profile/validate", {"zip_code": "752"}, htmx=True, trigger="zip_code"),
                     slot='<p class="field-error">{}</p>')
    jessica.page("profile-updated", "Your profile has been updated", "Edit Profile", "Update Profile",
                 jessica.post("/account/profile", state_details()))
    jessica.fragment("profile-updated-fragment", "Your profile has been updated (htmx)", "Edit Profile",
                     "Update Profile, JavaScript on",
                     jessica.post("/account/profile", state_details(), htmx=True))


def password_states(jessica):
    """Change Password: mistakes and the update, with JavaScript off and on."""
    jessica.page("change-password-errors", "Change Password with mistakes", "Edit Profile",
                 "Update Password with a wrong current password",
                 jessica.post("/account/change-password", {"current_password": "wrong1", "new_password": "abc",
                                                           "confirm_new_password": "abd"}))
    jessica.page("password-updated", "Your password has been updated", "Edit Profile", "Update Password",
                 jessica.post("/account/change-password", {"current_password": SAMPLE_PASSWORD,
                                                           "new_password": "newpw42",
                                                           "confirm_new_password": "newpw42"}))
    jessica.fragment("change-password-fragment", "Change Password panel with mistakes (htmx)", "Edit Profile",
                     "Update Password with mistakes, JavaScript on",
                     jessica.post("/account/change-password", {}, htmx=True))
    jessica.fragment("password-updated-fragment", "Your password has been updated (htmx)", "Edit Profile",
                     "Update Password, JavaScript on",
                     jessica.post("/account/change-password", {"current_password": "newpw42",
                                                               "new_password": "newpw43",
                                                               "confirm_new_password": "newpw43"}, htmx=True))


def another_state_states(gallery, jessica):
    """Register for Another State up to submitted, Home, and the page when all five are registered."""
    jessica.page("register-another-state", "Register for Another State", "Edit Profile",
                 "Register for Another State on Edit Profile", jessica.get("/account/register-another-state"))
    jessica.page("register-another-state-errors", "Register for Another State with mistakes", "Edit Profile",
                 "Continue with mistakes",
                 jessica.post("/account/register-another-state", {"MT-register": "y", "MT-agent_id": "2222"}))
    another = {key: value for key, value in sample_registration("jessicacamp", "Jessica", "Camp",
                                                                 {"MT": "222222222"}).items() if "-" in key}
    jessica.post("/account/register-another-state", another)
    jessica.page("register-another-state-confirm", "Confirm Montana Registration Information", "Edit Profile",
                 "Continue", jessica.get("/account/register-another-state/confirm"))
    jessica.page("register-another-state-submitted", "Registration Information Submitted (another state)",
                 "Edit Profile", "Submit Registration", jessica.post("/account/register-another-state/submit"))
    jessica.page("home", "Home: active and pending states", "Signed in", "Login, then Menu → Home",
                 jessica.get("/home"))
    alex = gallery.visitor()
    alex.sign_in("alexallen")
    alex.post("/select-state", {"state": "TX"})
    alex.page("register-another-state-none-left", "Register for Another State: all five registered",
              "Edit Profile", "Register for Another State when every state is registered",
              alex.get("/account/register-another-state"))
