"""Forgot User Name? and Reset Password? in their states, up to "Please try again later"."""
import re

from rpp.recovery.service import TEMPORARY_PASSWORD_ALPHABET, TEMPORARY_PASSWORD_LENGTH

# The password by its own shape (the generator's letters and length) where the e-mail gives it, after the
# sentence's colon ("Your temporary password is: …." / "Su contraseña temporal es: …."): any language.
TEMPORARY_PASSWORD = re.compile(rf": ([{TEMPORARY_PASSWORD_ALPHABET}]{{{TEMPORARY_PASSWORD_LENGTH}}})\.")


def recovery_states(gallery):
    """Both recovery forms, their mistakes and answers; returns Larry Locke's temporary password."""
    helpless = gallery.visitor()
    helpless.page("forgot-user-name", "Forgot User Name?", "Recovery", "Forgot User Name? on the sign-in page",
                  helpless.get("/forgot-user-name"))
    helpless.page("forgot-user-name-errors", "Forgot User Name? with mistakes", "Recovery",
                  "Submit with a short Agent Unique ID and no e-mail address",
                  helpless.post("/forgot-user-name", {"agent_id": "12345", "email": ""}))
    helpless.page("forgot-user-name-sent", "We sent your user name", "Recovery", "Submit",
                  helpless.post("/forgot-user-name", {"agent_id": "999999998",
                                                      "email": "demoproducer@example.com"}))
    helpless.page("reset-password", "Reset Password?", "Recovery", "Reset Password? on the sign-in page",
                  helpless.get("/reset-password"))
    helpless.page("reset-password-errors", "Reset Password? with mistakes", "Recovery",
                  "Submit with a User Name only", helpless.post("/reset-password", {"user_name": "larrylocke"}))
    reset = {"user_name": "larrylocke", "email": "larrylocke@example.com", "agent_id": ""}
    helpless.page("reset-password-sent", "We sent a temporary password", "Recovery", "Submit",
                  helpless.post("/reset-password", reset))
    helpless.fragment("reset-password-sent-fragment", "We sent a temporary password (htmx)", "Recovery",
                      "Submit, JavaScript on", helpless.post("/reset-password", reset, htmx=True))
    for _ in range(7):  # up to the tenth recovery request from this address (past the 3rd, no e-mail)
        helpless.post("/reset-password", reset)
    helpless.page("too-many-requests", "Please try again later", "Recovery",
                  "An eleventh recovery request from one address within an hour",
                  helpless.post("/reset-password", reset))
    return TEMPORARY_PASSWORD.search(gallery.app.extensions["mailman"].outbox[-1].body).group(1)
