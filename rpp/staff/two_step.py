"""Two-step verification in the console: every staff user sets it up at their first sign-in (the
producers' own pages, rpp.twostep.pages, in the console's layout); an admin resets another's."""
from flask import flash, g, url_for

from ..client import client_address
from ..hypermedia import redirect_after_post
from ..messages import text
from ..twostep import pages
from . import bp, staff_users
from .gates import admin_required, staff_required
from .users import other_staff_user


@bp.route("/two-step/set-up", methods=["GET", "POST"])
@staff_required
def two_step_set_up():
    """Set Up Two-Step Verification (required): scan the QR code (or type the key), then Verify a code."""
    return pages.set_up_page(pages.STAFF, g.staff_user, required=True)


@bp.route("/two-step/qr-code.svg")
@staff_required
def two_step_qr_code():
    """The QR code of the setup under way, as an SVG."""
    return pages.qr_code_image(g.staff_user, pages.authenticator_label(pages.STAFF, g.staff_user))


@bp.route("/two-step/recovery-codes")
@staff_required
def two_step_recovery_codes():
    """Save Your Recovery Codes: the new codes, shown this once."""
    return pages.recovery_codes_page(pages.STAFF, g.staff_user)


@bp.route("/users/<int:staff_user_id>/reset-two-step", methods=["POST"])
@admin_required
def reset_user_two_step(staff_user_id):
    """Another staff user lost their phone and recovery codes: they set two-step up again at next sign-in."""
    staff_user = other_staff_user(staff_user_id)
    if staff_users.reset_two_step_of_staff_user(staff_user, g.staff_user.user_name, client_address()):
        flash(text("two_step.staff.reset", user_name=staff_user.user_name), "notice")
    else:
        flash(text("two_step.staff.not_set_up", user_name=staff_user.user_name), "error")
    return redirect_after_post(url_for("staff.users"))
