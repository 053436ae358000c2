"""Console pages: staff sign-in, pending queue (home), activate/reject, search, account, unlock, roster."""
from flask import abort, flash, g, redirect, request, session, url_for

from .. import outbox
from ..auth.forms import LoginForm
from ..gates import STAFF_KEY, staff_required
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..models import Account
from ..registration.activation import ActivationError
from ..registration.roster import RosterError
from . import bp, service
from .forms import RejectForm, RosterUploadForm, SearchForm


def client_address():
    """The address events are recorded with."""
    return request.remote_addr or ""


@bp.after_request
def no_store(response):
    """Console pages are never cached."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/login")
def sign_in():
    """The staff sign-in page: User Name, Password, Login."""
    if service.load_session(session.get(STAFF_KEY)) is not None:
        return redirect(url_for("staff.queue"))
    return render("staff/login.html", "staff/_login.html", form=LoginForm())


@bp.route("/login", methods=["POST"])
def login():
    """Sign a staff user in; wrong credentials and lockouts come back in the sign-in box."""
    form = LoginForm()
    outcome = None
    if form.validate_on_submit():
        result = service.authenticate(form.user_name.data, form.password.data, client_address())
        outcome = result.outcome
        if outcome == "ok":
            session.clear()  # the pre-login session (and any producer sign-in in this browser) ends
            session[STAFF_KEY] = service.start_session(result.staff_user, client_address()).token
            return redirect_after_post(url_for("staff.queue"))
    return render("staff/login.html", "staff/_login.html", form=form, outcome=outcome)


@bp.route("/logout", methods=["POST"])
@staff_required
def logout():
    """End this staff session."""
    service.end_session(g.staff_session, client_address())
    session.clear()
    return redirect_after_post(url_for("staff.sign_in"))


def reject_form(row, formdata=None):
    """The Reject form of one queue row (its field ids name the registration)."""
    return RejectForm(formdata=formdata, prefix=f"registration-{row.registration.id}")


@bp.route("/")
@staff_required
def queue():
    """The console's home: every pending state registration, oldest first."""
    rows = service.pending_queue()
    return render("staff/queue.html", "staff/_queue.html", rows=rows,
                  reject_forms={row.registration.id: reject_form(row) for row in rows})


def queue_row_or_404(registration_id):
    """The queue row of this registration, or Page not found."""
    row = service.queue_row(registration_id)
    if row is None:
        abort(404)
    return row


def answer_row(row, notice, form=None, error=False):
    """htmx: the row, updated in place; otherwise back to the queue with the notice."""
    if wants_fragment():
        return render("staff/queue.html", "staff/_queue_row.html", row=row, notice=notice, error=error,
                      reject_form=form or reject_form(row))
    flash(notice, "error" if error else "notice")
    return redirect_after_post(url_for("staff.queue"))


@bp.route("/registrations/<int:registration_id>/activate", methods=["POST"])
@staff_required
def activate(registration_id):
    """Activate one pending registration and send the activation e-mail."""
    row = queue_row_or_404(registration_id)
    try:
        row = service.activate_registration(row, g.staff_user, client_address())
    except ActivationError as error:
        return answer_row(row, str(error), error=True)
    return answer_row(row, f"Activated {row.account.user_name} in {row.registration.state_name}; "
                           f"e-mail queued for {row.registration.email}.")


@bp.route("/registrations/<int:registration_id>/reject", methods=["POST"])
@staff_required
def reject(registration_id):
    """Reject one pending registration with a reason and tell the producer."""
    row = queue_row_or_404(registration_id)
    form = reject_form(row, request.form)
    if not form.validate():
        if wants_fragment():
            return render("staff/queue.html", "staff/_queue_row.html", row=row, reject_form=form)
        rows = service.pending_queue()
        forms = {r.registration.id: form if r.registration.id == registration_id else reject_form(r)
                 for r in rows}
        return render("staff/queue.html", "staff/_queue.html", rows=rows, reject_forms=forms)
    try:
        row = service.reject_registration(row, form.reason.data, g.staff_user, client_address())
    except ActivationError as error:
        return answer_row(row, str(error), error=True)
    return answer_row(row, f"Rejected {row.account.user_name} in {row.registration.state_name}; "
                           f"e-mail queued for {row.registration.email}.")


@bp.route("/producers")
@staff_required
def search():
    """Find a producer by user name, name, Agent ID or e-mail."""
    form = SearchForm(request.args)
    query = " ".join((form.q.data or "").split()) if form.validate() else ""
    return render("staff/search.html", "staff/_search_results.html",
                  push_url=url_for("staff.search", q=query) if query else url_for("staff.search"),
                  form=form, query=query, accounts=service.search_accounts(query),
                  limit=service.SEARCH_LIMIT)


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


def render_account(producer, notice=None):
    """The account page, or for htmx its detail partial."""
    return render("staff/account.html", "staff/_account.html", producer=producer, notice=notice,
                  registrations=service.account_registrations(producer),
                  events=service.recent_events(producer), mail=outbox.recent_messages(producer))


@bp.route("/producers/<int:account_id>/unlock", methods=["POST"])
@staff_required
def unlock(account_id):
    """Lift the producer's lockout at once."""
    producer = service.unlock_account(account_or_404(account_id), g.staff_user, client_address())
    notice = f"Unlocked {producer.user_name}."
    if wants_fragment():
        return render_account(producer, notice)
    flash(notice, "notice")
    return redirect_after_post(url_for("staff.account", account_id=producer.id))


@bp.route("/roster")
@staff_required
def roster():
    """Upload a roster CSV."""
    return render("staff/roster.html", "staff/_roster_upload.html", form=RosterUploadForm())


@bp.route("/roster", methods=["POST"])
@staff_required
def upload_roster():
    """Import an uploaded roster all or nothing: every bad line listed, or the counts."""
    form = RosterUploadForm()
    problems, counts = [], None
    if form.validate_on_submit():
        try:
            counts = service.upload_roster(form.roster_file.data.stream, g.staff_user, client_address())
        except RosterError as error:
            problems = error.problems
    if counts and not wants_fragment():
        flash("Roster imported: {} added, {} updated, {} unchanged.".format(*counts), "notice")
        return redirect_after_post(url_for("staff.roster"))
    return render("staff/roster.html", "staff/_roster_upload.html", form=RosterUploadForm(formdata=None)
                  if counts else form, problems=problems, counts=counts)
