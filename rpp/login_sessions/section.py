"""The Where You're Signed In section of Edit Profile (rpp.sections)."""
from flask_wtf import FlaskForm

from ..sections import Section
from . import service


def context(login_session):
    """Every browser signed in to the account (`login_session`: this request's), and the Sign Out form."""
    return {"signed_in_sessions": service.account_sessions(login_session.account, login_session.token),
            "sessions_form": FlaskForm(formdata=None)}


SECTION = Section("sessions", "login_sessions/_list.html", context)
