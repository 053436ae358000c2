"""The Passkeys section of Edit Profile (rpp.sections); on its own it is the Passkeys page."""
from ..sections import Section
from . import service
from .forms import PasskeyForm


def context(login_session):
    """The account's passkeys, with the form that removes one (or, with passkeys.js, adds one)."""
    return {"passkeys": service.account_passkeys(login_session.account), "passkey_form": PasskeyForm(formdata=None)}


SECTION = Section("passkeys", "passkeys/_section.html", context, page="passkeys/manage.html")
