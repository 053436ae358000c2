"""The Two-Step Verification section of Edit Profile: what its template needs."""
from flask import session

from . import service
from .forms import NewRecoveryCodesForm, TurnOffForm

TURNED_OFF_KEY = "two_step_turned_off"  # "Two-step verification is now off." after a plain POST
# Edit Profile has three Current Password fields (Change Password too): each form's ids are its own.
TURN_OFF = "turn_off"
NEW_CODES = "new_codes"


def section(owner):
    """The section's context: on or off, the forms, and whether it was just turned off."""
    return {"two_step": service.status(owner), "off_form": TurnOffForm(formdata=None, prefix=TURN_OFF),
            "codes_form": NewRecoveryCodesForm(formdata=None, prefix=NEW_CODES),
            "two_step_turned_off": session.pop(TURNED_OFF_KEY, False)}
