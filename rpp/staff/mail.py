"""Console pages for the outbox: the e-mail the relay gave up on, with its reason and Retry."""
from flask import abort, flash, g, request, url_for

from .. import outbox
from ..client import client_address
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..messages import text
from . import bp
from .gates import staff_required


@bp.route("/mail")
@staff_required
def failed_mail():
    """Failed e-mail, latest first, each with why it failed and a Retry button."""
    return render("staff/mail.html", "staff/_failed_mail.html", messages=outbox.failed_messages(),
                  counts=outbox.status())


@bp.route("/mail/<int:message_id>/retry", methods=["POST"])
@staff_required
def retry_mail(message_id):
    """Queue a failed e-mail again: htmx swaps its row; a browser goes back to the list or the producer."""
    message, retried = outbox.retry(message_id, g.staff_user, client_address())
    if message is None:
        abort(404)
    notice = (text("staff.mail_queued_again", recipient=message.recipient) if retried
              else text("staff.mail_status", recipient=message.recipient, status=message.status.value.lower()))
    back = request.args.get("back")
    if wants_fragment():
        return render("staff/mail.html", "staff/_mail_row.html", message=message, mail_notice=notice, back=back)
    flash(notice, "notice")
    if back == "producer" and message.account_id:
        return redirect_after_post(url_for("staff.account", account_id=message.account_id))
    return redirect_after_post(url_for("staff.failed_mail"))
