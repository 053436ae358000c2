"""The Two-Step Verification section of Edit Profile (rpp.sections)."""
from ..sections import Section
from . import service
from .forms import NewRecoveryCodesForm, TurnOffForm

# Edit Profile has three Current Password fields (Change Password too): each form's ids are its own.
TURN_OFF = "turn_off"
NEW_CODES = "new_codes"


def context(login_session):
    """On or off, with blank forms for Get New Recovery Codes and Turn Off."""
    return {"two_step": service.status(login_session.account),
            "off_form": TurnOffForm(formdata=None, prefix=TURN_OFF),
            "codes_form": NewRecoveryCodesForm(formdata=None, prefix=NEW_CODES)}


SECTION = Section("two-step", "twostep/_section.html", context, page="twostep/manage.html")
