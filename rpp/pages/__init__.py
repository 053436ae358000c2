"""Pages every visitor can reach: Contact Us."""
from flask import Blueprint, render_template

bp = Blueprint("pages", __name__)


@bp.route("/contact-us")
def contact_us():
    """The guide's table of Producer Services numbers by state and line of business."""
    return render_template("pages/contact_us.html")
