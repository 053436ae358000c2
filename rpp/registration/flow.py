"""One registration flow: form → Continue → Confirm Your Registration (Edit / Submit Registration) → submitted.

Register for the Portal (a new account, on the `registration` blueprint) and Register for Another
State (the signed-in producer, on `account`) each mount a RegistrationFlow; what differs between
them is a parameter: whether the account fields are asked for (otherwise an existing account — the
signed-in one, or with Register Again (rpp.registration.again) the one whose sign-in was refused —
registers the states it holds no registration in), and where "Back" goes.
"""
import functools
from datetime import datetime

from flask import redirect, request, session, url_for

from ..client import client_address
from ..errors import refills
from ..extensions import limit_per_address
from ..hypermedia import redirect_after_post, render, wants_fragment
from ..messages import text
from ..states import BCBS_STATES
from . import drafts, service
from .activation import expected_activation
from .forms import SAME_DETAILS, AccountForm, StateSelection

ACCOUNT_FIELDS = ("first_name", "last_name", "user_name")


def guarded(view, decorators):
    """`view` as a function of its own (so rpp.errors.refills can mark it), wrapped by each decorator."""
    @functools.wraps(view)
    def step(*args, **kwargs):
        return view(*args, **kwargs)
    for decorate in decorators:
        step = decorate(step)
    return step


class RegistrationFlow:
    """The five steps of one registration flow, mounted on a blueprint under one URL.

    name      the form's endpoint; the others add _continue, _confirm, _submit, _submitted
    title     the page's heading and title
    owner     None: a new account (ask for First/Last Name, User Name and Password); else a function
              giving the existing account that registers more states
    back      (endpoint, label) of the button leaving the flow from the submitted page
    back_on_form  show that button under the form too
    """

    def __init__(self, name, title, back, owner=None, back_on_form=False):
        self.name, self.title, self.owner_of_request = name, title, owner
        self.new_account = owner is None
        self.back, self.back_on_form = back, back_on_form
        self.blueprint = None
        self.draft_key, self.submitted_key = f"{name}_draft", f"{name}_submitted"

    def mount(self, bp, url, decorators=(), continue_limit=None):
        """Add the flow's routes to `bp`: url (GET form, POST Continue), url/confirm, /submit, /submitted;
        `decorators` wrap every step; `continue_limit` names the setting of Continue's per-address limit.
        Every flow's steps are the same functions, so the limit is scoped by the flow's name (Flask-Limiter
        counts a limit per endpoint and scope): each flow's Continue counts its own requests, once."""
        self.blueprint = bp.name
        on_continue = [limit_per_address(continue_limit, scope=self.name)] if continue_limit else []
        steps = (("form", "", "GET", self.form), ("continue", "", "POST", self.continue_),
                 ("confirm", "/confirm", "GET", self.confirm), ("submit", "/submit", "POST", self.submit),
                 ("submitted", "/submitted", "GET", self.submitted))
        for step, path, method, view in steps:
            view = guarded(view, (*on_continue, *decorators) if step == "continue" else decorators)
            if step == "continue":  # sent from an expired page: the form again, filled (rpp.errors)
                view = refills(guarded(self.refill, decorators))(view)
            bp.add_url_rule(url + path, self.endpoint(step), view, methods=[method])

    def endpoint(self, step):
        return self.name if step == "form" else f"{self.name}_{step}"

    def url(self, step):
        """The URL of one step ("form", "continue", "confirm", "submit", "submitted")."""
        return url_for(f"{self.blueprint}.{self.endpoint(step)}")

    # Who registers, and what they may register for.

    def owner(self):
        """The existing account registering more states, or None for a new account."""
        return None if self.new_account else self.owner_of_request()

    def offered_states(self):
        owner = self.owner()
        return list(BCBS_STATES) if owner is None else service.open_states(owner)

    def forms_from_draft(self, draft):
        """The account form (new accounts only) and the state blocks, filled from the draft when there is one;
        an existing account's blocks start from its most recent registration's details (editable)."""
        account_data = states_data = None
        if draft is not None:
            account_data = draft.fields["account"]
            states_data = {code: dict(values, register=True) for code, values in draft.fields["states"].items()}
        elif not self.new_account and (latest := service.latest_details(self.owner(), SAME_DETAILS)):
            states_data = dict.fromkeys(self.offered_states(), latest)
        account_form = AccountForm(formdata=None, data=account_data) if self.new_account else None
        if account_form is not None and draft is not None:  # Edit: say, before Continue, that they are empty
            account_form.password.description = text("registration.password_again") + " " + text("password.help")
        return account_form, StateSelection(self.offered_states(), data=states_data)

    def draft_account(self, account_form):
        """What the draft keeps about the account, and the password to hash (None: no new password)."""
        if account_form is not None:
            return {name: account_form[name].data for name in ACCOUNT_FIELDS}, account_form.password.data
        owner = self.owner()
        return {"account_id": owner.id, **{name: getattr(owner, name) for name in ACCOUNT_FIELDS}}, None

    def draft(self):
        return drafts.load_draft(session.get(self.draft_key), self.owner())

    def render_form(self, account_form, states):
        return render("registration/register.html", "registration/_form.html", push_url=self.url("form"),
                      flow=self, form=account_form, states=states, account=self.owner())

    def finished(self, submitted_at):
        """Remember in the session that this flow's draft was submitted, and when."""
        session.pop(self.draft_key, None)
        session[self.submitted_key] = submitted_at.isoformat()

    def after_draft(self):
        """Where to go without a draft: the submitted page when it was submitted (by this request's
        session or a Submit racing it), else the form."""
        submitted_at = drafts.submitted_at(session.get(self.draft_key))
        if submitted_at:
            self.finished(submitted_at)
        return self.url("submitted" if session.get(self.submitted_key) else "form")

    # The steps.

    def form(self):
        """The form; after "Edit" it is filled with what was entered."""
        return self.render_form(*self.forms_from_draft(self.draft()))

    def refill(self):
        """Continue sent from an expired page: the form again, filled with what was typed (rpp.errors)."""
        account_form = AccountForm() if self.new_account else None
        return self.render_form(account_form, StateSelection(self.offered_states(), formdata=request.form))

    def continue_(self):
        """Continue: check everything, keep it server-side, show the confirmation."""
        account_form = AccountForm() if self.new_account else None
        states = StateSelection(self.offered_states(), formdata=request.form)
        account_ok = account_form is None or account_form.validate()
        if not states.forms or not (states.validate() and account_ok):
            return self.render_form(account_form, states)
        account_fields, password = self.draft_account(account_form)
        session[self.draft_key] = drafts.save_draft(session.get(self.draft_key), account_fields,
                                                    states.cleaned(), password)
        return self.confirm() if wants_fragment() else redirect(self.url("confirm"), 303)

    def confirm(self):
        """Print this page for your records: what will be submitted."""
        draft = self.draft()
        if draft is None:  # Back after Submit shows what was done, not an empty form
            return redirect(self.after_draft())
        return render("registration/confirm.html", "registration/_confirm.html", push_url=self.url("confirm"),
                      fields=draft.fields, edit_url=self.url("form"), submit_url=self.url("submit"))

    def submit(self):
        """Submit Registration: store the states as pending, in one transaction; a repeated or racing
        Submit of the same draft leads to the submitted page too."""
        draft = self.draft()
        if draft is None:  # submitted already (a second click, a racing Submit), or expired
            return redirect_after_post(self.after_draft())
        try:
            submission = service.submit(draft, client_address())
        except service.AlreadySubmitted as done:
            self.finished(done.submitted_at)
            return redirect_after_post(self.url("submitted"))
        except service.DraftGone:  # it expired meanwhile
            return redirect_after_post(self.after_draft())
        except service.RegistrationRefused as refused:
            return self.render_refused(draft, refused)
        self.finished(submission.submitted_at)
        return self.submitted() if wants_fragment() else redirect(self.url("submitted"), 303)

    def render_refused(self, draft, refused):
        """Back to the form, filled from the draft, with why it could not be stored beside its field."""
        account_form, states = self.forms_from_draft(draft)
        if isinstance(refused, service.UserNameTaken):
            account_form.user_name.errors = [refused.message]
        elif isinstance(refused, service.AgentIdRefused) and refused.state in states.forms:
            states.forms[refused.state].agent_id.errors = [refused.message]
        else:
            states.error = refused.message
        return self.render_form(account_form, states)

    def submitted(self):
        """Registration Information Submitted, with the expected activation time."""
        submitted_at = session.get(self.submitted_key)
        if not submitted_at:
            return redirect(self.url("form"))
        endpoint, label = self.back
        return render("registration/submitted.html", "registration/_submitted.html",
                      push_url=self.url("submitted"),
                      expected=expected_activation(datetime.fromisoformat(submitted_at)),
                      back_url=url_for(endpoint), back_label=label)
