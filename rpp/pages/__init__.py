"""Pages every visitor can reach: Contact Us."""
from flask import Blueprint, render_template

from ..states import BCBS_STATES, CONTACT_ALL_STATES, CONTACT_COLUMNS, CONTACT_ROWS

bp = Blueprint("pages", __name__)


@bp.route("/contact-us")
def contact_us():
    """The guide's table of Producer Services numbers by state and line of business."""
    return render_template("pages/contact_us.html", columns=CONTACT_COLUMNS, rows=CONTACT_ROWS,
                           all_states=CONTACT_ALL_STATES, state_names=BCBS_STATES)
