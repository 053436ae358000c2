"""Console pages: staff sign-in, the queue (home) with bulk decisions and CSV, search, producer page, roster."""
import csv
import io
from urllib.parse import parse_qsl, urlencode

from flask import Response, abort, current_app, flash, g, redirect, request, session, stream_with_context, url_for
from werkzeug.datastructures import MultiDict

from .. import clock, outbox, signin
from ..auth.forms import LoginForm
from ..client import client_address
from ..errors import refills
from ..extensions import limit_per_address
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..limits import body_limit
from ..lockout import SignInOutcome
from ..messages import text
from ..models import Account
from ..registration.activation import ActivationError
from ..registration.roster import RosterError
from ..twostep import pages
from ..twostep import service as two_step
from . import bp, decisions, producers, sessions
from . import queue as queue_rows
from . import roster as roster_files
from .forms import BulkForm, QueueFilterForm, RejectForm, ResetTwoStepForm, RevokeForm, RosterUploadForm, SearchForm
from .gates import STAFF_KEY, admin_required, staff_required

# What the last Activate/Reject Selected came to ([id, outcome] pairs), shown once on the queue.
BULK_RESULTS_KEY = "staff_bulk_results"


@bp.app_template_filter("iso_time")
def iso_time(moment):
    """A stored (UTC) time for a <time datetime> attribute."""
    return f"{moment:%Y-%m-%dT%H:%M}Z"


@bp.app_template_filter("short_time")
def short_time(moment):
    """A time short enough for a table cell, in the portal's time zone: Nov 30, 2026 1:10 PM (a stored UTC
    time, or one already in the portal's time zone such as a due time)."""
    moment = clock.local(moment) if moment.tzinfo is None else moment
    return f"{moment:%b} {moment.day}, {moment.year} {moment.hour % 12 or 12}:{moment:%M %p}"


@bp.route("/login")
def sign_in():
    """The staff sign-in page: User Name, Password, Login. Coming here leaves a sign-in in progress."""
    if sessions.load_session(session.get(STAFF_KEY)) is not None:
        return redirect(url_for("staff.queue"))
    outcome, user_name = signin.last_outcome(pages.STAFF)
    return render("staff/login.html", "staff/_login.html", form=LoginForm(formdata=None, user_name=user_name),
                  outcome=outcome)


def login_again():
    """Login sent from an expired page: the sign-in box again, the User Name kept (rpp.errors)."""
    return render("staff/login.html", "staff/_login.html", form=LoginForm())


@bp.route("/login", methods=["POST"])
@refills(login_again)
@limit_per_address("SIGN_IN_LIMIT_PER_ADDRESS")
def login():
    """Sign a staff user in; wrong credentials and lockouts come back in the sign-in box."""
    form = LoginForm()
    outcome = None
    if form.validate_on_submit():
        result = sessions.authenticate(form.user_name.data, form.password.data, client_address())
        outcome = result.outcome
        steps = two_step.steps_owed(result.staff_user) if outcome is SignInOutcome.OK else []
        if signin.CODE in steps:
            return pages.begin_sign_in_step(pages.STAFF, result.staff_user, steps)
        if outcome is SignInOutcome.OK:  # their first sign-in: two-step is set up before anything else
            return signed_in(result.staff_user)
    return render("staff/login.html", "staff/_login.html", form=form, outcome=outcome)


@bp.route("/login/verify", methods=["GET", "POST"])
def verify():
    """The second step of a staff sign-in: the Verification Code (or a recovery code)."""
    return pages.verify_page(pages.STAFF, lambda pending: signed_in(pending.staff_user))


@bp.route("/login/verify/more-time", methods=["POST"])
def more_time():
    """More time on the staff Verification Code step (once)."""
    return pages.more_time_page(pages.STAFF)


def signed_in(staff_user):
    """A new staff session (the pre-login session, and any producer sign-in in this browser, ends); then
    the initial password is changed and two-step set up, if they are not yet, before the queue. A staff
    user disabled or locked while signing in goes back to the sign-in page."""
    session.clear()
    staff_session = sessions.start_session(staff_user, client_address())
    if staff_session is None:
        return pages.back_to_sign_in(pages.STAFF, SignInOutcome.DISABLED)
    session[STAFF_KEY] = staff_session.token
    if staff_user.must_change_password:
        return redirect_after_post(url_for("staff.change_password"))
    if not two_step.is_enabled(staff_user):
        return redirect_after_post(url_for(pages.STAFF.set_up))
    return redirect_after_post(url_for("staff.queue"))


@bp.route("/logout", methods=["POST"])
@staff_required
def logout():
    """End this staff session."""
    sessions.end_session(g.staff_session, client_address())
    return signin.signed_out(pages.STAFF)


@bp.route("/session/stay", methods=["POST"])
@staff_required
def stay_signed_in():
    """Stay signed in (the warning before the idle limit): the staff session counts as used now."""
    sessions.stay_signed_in(g.staff_session)
    return "", 204


def read_filters(args):
    """The queue filter form of these query arguments and the filter it stands for."""
    form = QueueFilterForm(args)
    form.validate()
    return form, form.filters(args.get("page", 1, type=int) or 1)


@bp.route("/")
@staff_required
def queue():
    """The console's home: state registrations filtered, sorted and 50 to a page; htmx swaps the table."""
    filter_form, filters = read_filters(request.args)
    return render_queue(filter_form, filters, selected_all=request.args.get("select") == "all")


def render_queue(filter_form, filters, bulk_form=None, selected_all=False):
    """The queue page (or, for htmx, its table) for these filters."""
    listing = queue_rows.queue_page(filters, current_app.config["STAFF_QUEUE_PAGE_SIZE"])
    bulk_form = bulk_form or BulkForm(formdata=None, back=urlencode(filters.args()))
    selected = {row.registration.id for row in listing.rows} if selected_all else set(bulk_form.registration.data or ())
    results = decisions.decided_rows(session.pop(BULK_RESULTS_KEY)) if BULK_RESULTS_KEY in session else None
    return render("staff/queue.html", "staff/_queue.html",
                  push_url=url_for("staff.queue", **filters.args()), filter_form=filter_form, filters=filters,
                  listing=listing, bulk_form=bulk_form, selected=selected, results=results,
                  glance=queue_rows.at_a_glance, statuses=queue_rows.STATUSES)


def back_to_queue(back):
    """The queue view a bulk form came from: its filters re-read, so no other address can be smuggled in."""
    return read_filters(MultiDict(parse_qsl(back or "")))


@bp.route("/registrations/bulk", methods=["POST"])
@staff_required
def confirm_selected():
    """Activate Selected / Reject Selected: say what will happen and ask to confirm."""
    form = BulkForm()
    filter_form, filters = back_to_queue(form.back.data)
    if not form.validate_on_submit():
        return render_queue(filter_form, filters, bulk_form=form)
    rows = decisions.selected_registrations(form.registration.data)
    return render("staff/confirm_selected.html", "staff/_confirm_selected.html", form=form, rows=rows,
                  emails=decisions.activation_emails(rows), back=url_for("staff.queue", **filters.args()))


@bp.route("/registrations/bulk/apply", methods=["POST"])
@staff_required
def apply_selected():
    """Carry out a confirmed bulk decision, each registration on its own; the results show on the queue."""
    form = BulkForm()
    filter_form, filters = back_to_queue(form.back.data)
    if not form.validate_on_submit():
        return render_queue(filter_form, filters, bulk_form=form)
    session[BULK_RESULTS_KEY] = decisions.decide_selected(form.action.data, form.registration.data,
                                                        form.reason.data, g.staff_user, client_address())
    return redirect_after_post(url_for("staff.queue", **filters.args()))


@bp.route("/registrations.csv")
@staff_required
def export_csv():
    """Download CSV: every registration the current filter selects, cells safe for spreadsheets."""
    filters = read_filters(request.args)[1]
    rows = queue_rows.csv_rows(filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def lines():
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    name = f"registrations-{filters.status}-{clock.local(clock.utcnow()):%Y-%m-%d}.csv"
    return Response(stream_with_context(lines()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def decision_form(registration, formdata=None):
    """The Reject (pending) or Revoke (active) form of one registration on the producer's page; its field
    ids name the registration."""
    form = RevokeForm if registration.status == "active" else RejectForm
    return form(formdata=formdata, prefix=f"registration-{registration.id}")


def registration_or_404(registration_id):
    """The registration as a queue row, or Page not found."""
    row = decisions.queue_row(registration_id)
    if row is None:
        abort(404)
    return row


def answer_decision(row, notice, error=False, form=None):
    """htmx: the producer's page, updated in place; otherwise back to it with the notice."""
    if wants_fragment() or form is not None:
        forms = {row.registration.id: form} if form else None
        return render_account(row.account, notice, error=error, forms=forms)
    flash(notice, "error" if error else "notice")
    return redirect_after_post(url_for("staff.account", account_id=row.account.id))


def decide(row, decision, message, *reason):
    """Carry out one decision on this registration; the producer's page says what came of it, or why not."""
    try:
        decision(row, *reason, g.staff_user, client_address())
    except ActivationError as error:
        return answer_decision(row, str(error), error=True)
    registration = row.registration
    return answer_decision(row, text(message, user_name=row.account.user_name, state=registration.state_name,
                                     email=registration.email, agent_id=registration.agent_id))


@bp.route("/registrations/<int:registration_id>/activate", methods=["POST"])
@staff_required
def activate(registration_id):
    """Activate one pending registration (from the producer's page) and send the activation e-mail."""
    return decide(registration_or_404(registration_id), decisions.activate_registration, "staff.activated")


@bp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@staff_required
def reject(registration_id):
    """Reject one pending registration with a reason (from the producer's page) and tell the producer."""
    row = registration_or_404(registration_id)
    form = decision_form(row.registration, request.form)
    if not form.validate():
        return answer_decision(row, None, form=form)
    return decide(row, decisions.reject_registration, "staff.rejected", form.reason.data)


@bp.route("/registrations/<int:registration_id>/revoke", methods=["POST"])
@staff_required
def revoke(registration_id):
    """Revoke an active registration with a reason: the producer is told and the Agent ID is free again."""
    row = registration_or_404(registration_id)
    form = decision_form(row.registration, request.form)
    if not isinstance(form, RevokeForm):
        return answer_decision(row, text("staff.no_active_in_state", user_name=row.account.user_name,
                                         state=row.registration.state_name), error=True)
    if not form.validate():
        return answer_decision(row, None, form=form)
    return decide(row, decisions.revoke_registration, "staff.revoked", form.reason.data)


@bp.route("/producers")
@staff_required
def search():
    """Find a producer by user name, name, Agent ID or e-mail."""
    form = SearchForm(request.args)
    query = " ".join((form.q.data or "").split()) if form.validate() else ""
    return render("staff/search.html", "staff/_search_results.html",
                  push_url=url_for("staff.search", q=query) if query else url_for("staff.search"),
                  form=form, query=query, accounts=producers.search_accounts(query),
                  limit=producers.SEARCH_LIMIT)


def account_or_404(account_id):
    """The producer account with this id, or Page not found."""
    account = Account.get_or_none(Account.id == account_id)
    if account is None:
        abort(404)
    return account


@bp.route("/producers/<int:account_id>")
@staff_required
def account(account_id):
    """One producer: state registrations, lock status and recent security events."""
    producer = account_or_404(account_id)
    return render_account(producer)


def render_account(producer, notice=None, error=False, forms=None, reset_form=None):
    """The producer's page, or for htmx its detail partial."""
    registrations = producers.account_registrations(producer)
    decision_forms = {r.id: decision_form(r) for r in registrations if r.status in ("pending", "active")}
    decision_forms.update(forms or {})
    return render("staff/account.html", "staff/_account.html", producer=producer,
                  notice=notice, error=error, registrations=registrations, forms=decision_forms,
                  events=producers.recent_events(producer), two_step=two_step.status(producer),
                  mail=outbox.recent_messages(producer), reset_form=reset_form or ResetTwoStepForm(formdata=None),
                  live_sessions=producers.live_sessions(producer))


def account_changed(producer, notice):
    """After a change on the producer's page: the page again with the notice (htmx), or back to it."""
    if wants_fragment():
        return render_account(producer, notice)
    flash(notice, "notice")
    return redirect_after_post(url_for("staff.account", account_id=producer.id))


@bp.route("/producers/<int:account_id>/unlock", methods=["POST"])
@staff_required
def unlock(account_id):
    """Lift the producer's lockout at once."""
    producer = producers.unlock_account(account_or_404(account_id), g.staff_user, client_address())
    return account_changed(producer, text("staff.unlocked", user_name=producer.user_name))


@bp.route("/producers/<int:account_id>/reset-two-step", methods=["POST"])
@staff_required
def reset_two_step(account_id):
    """A producer lost their phone and recovery codes: turn two-step off, saying why (event, e-mail to them)."""
    producer = account_or_404(account_id)
    form = ResetTwoStepForm()
    if not form.validate():
        return render_account(producer, reset_form=form)
    producers.reset_two_step(producer, g.staff_user, form.reason.data, client_address())
    return account_changed(producer, text("staff.two_step_reset_producer", user_name=producer.user_name))


@bp.route("/producers/<int:account_id>/sign-out-everywhere", methods=["POST"])
@staff_required
def sign_out_everywhere(account_id):
    """Sign Out Everywhere: every session of the producer ends (a lost device, a shared computer)."""
    producer = account_or_404(account_id)
    producers.sign_out_everywhere(producer, g.staff_user, client_address())
    return account_changed(producer, text("staff.signed_out_everywhere", user_name=producer.user_name))


@bp.route("/roster")
@admin_required
def roster():
    """Upload a roster CSV."""
    return render("staff/roster.html", "staff/_roster_upload.html", form=RosterUploadForm())


@bp.route("/roster", methods=["POST"])
@admin_required
@body_limit("ROSTER_UPLOAD_MAX_BYTES")
def upload_roster():
    """Read an uploaded roster and show what it would change; nothing changes before Apply."""
    form = RosterUploadForm()
    refused, changes, token = None, None, None
    if form.validate_on_submit():
        try:
            changes, token = roster_files.preview_roster(form.roster_file.data, g.staff_user, client_address())
        except RosterError as error:
            refused = error
    return render("staff/roster.html", "staff/_roster_upload.html",
                  form=RosterUploadForm(formdata=None) if changes else form, refused=refused,
                  changes=changes, token=token, file_name=changes and form.roster_file.data.filename)


@bp.route("/roster/apply", methods=["POST"])
@admin_required
def apply_roster():
    """Apply the previewed roster file: every change or none."""
    upload = roster_files.kept_upload(request.form.get("upload"), g.staff_user)
    if upload is None:
        flash(text("staff.roster_preview_gone"), "error")
    else:
        changes = roster_files.apply_upload(upload, g.staff_user, client_address())
        flash(text("staff.roster_applied", added=len(changes.added), updated=len(changes.renamed),
                   unchanged=changes.unchanged, removed=len(changes.removed)), "notice")
    return redirect_after_post(url_for("staff.roster"))
