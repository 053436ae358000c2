"""The Producer Services console: sign-in with its Verification Code step, the queue with its filters and
bulk decisions, a producer's page (reject, revoke, unlock), roster upload with its preview, failed e-mail
with Retry, staff users, their passwords and their two-step set-up (and an admin's reset)."""
import re

import pyotp

from rpp import clock
from rpp.models import Account, OutboxMessage, StaffUser, StateRegistration

from .. import authenticator_app
from .samples import BAD_ROSTER, STAFF_PASSWORD, bytes_file

AREA = "Producer Services console"
# Illinois's whole roster: one new ID, one new name, and 100000001 (Alex Allen, active) left out.
CHANGED_ROSTER = """state,agent_id,first_name,last_name
IL,111111111,Jessica,Camp
IL,111111112,Demo,Producer-Smith
IL,111111119,Ivy,Newcomer
"""


def console_states(gallery):
    """Alice of Producer Services (the first staff user, so an admin) works the console."""
    console = gallery.visitor()
    console.page("staff-sign-in", "Producer Services Sign-In", AREA, "GET /staff/login", console.get("/staff/login"))
    console.page("staff-sign-in-mismatch", "Producer Services Sign-In: wrong password", AREA,
                 "Login with a wrong password",
                 console.post("/staff/login", {"user_name": "alice", "password": "wrong"}))
    stranger = gallery.visitor()  # a user name no staff user has locks like a real one
    for attempt in ("wrong1", "wrong2"):
        stranger.post("/staff/login", {"user_name": "mallory", "password": attempt})
    stranger.page("staff-sign-in-locked", "Producer Services Sign-In: locked", AREA, "Three wrong passwords in a row",
                  stranger.post("/staff/login", {"user_name": "mallory", "password": "wrong3"}))
    console.page("staff-verify", "Two-Step Verification at staff sign-in", AREA, "Login with the right password",
                 console.post("/staff/login", {"user_name": "alice", "password": STAFF_PASSWORD}))
    console.page("staff-verify-wrong", "Two-Step Verification at staff sign-in: wrong code", AREA,
                 "Verify with a wrong code", console.post("/staff/login/verify", {"code": "000000"}))
    console.post("/staff/login/verify", {"code": staff_code(gallery, "alice")})
    with gallery.app.app_context():
        pending = {r.agent_id: r.id for r in StateRegistration.select().where(StateRegistration.status == "pending")}
        demo = Account.get(Account.user_name == "demoproducer").id
        larry = Account.get(Account.user_name == "larrylocke").id
        larry_nm = StateRegistration.get(StateRegistration.account == larry).id
    queue_states(console)
    bulk_states(console, pending)
    producer_states(gallery, console, pending, demo, larry, larry_nm)
    roster_states(console)
    failed_mail_states(gallery, console, larry)
    staff_user_states(gallery, console)


def staff_code(gallery, user_name):
    """The Verification Code the staff user's authenticator app shows now."""
    with gallery.app.app_context():
        return authenticator_app.next_code(StaffUser.get(StaffUser.user_name == user_name))


def queue_states(console):
    """The queue: at a glance, filtered (htmx), nothing matching, every row selected."""
    console.page("staff-queue", "Pending registrations (one overdue)", AREA, "Login, or Registrations",
                 console.get("/staff/"))
    console.fragment("staff-queue-filtered", "Queue table: Texas, overdue only (htmx)", AREA,
                     "Show with State Texas and Overdue only, JavaScript on",
                     console.get("/staff/?state=TX&overdue=1", htmx=True))
    console.page("staff-queue-none", "Activated registrations: none match", AREA,
                 "Status Activated, a search that matches nothing", console.get("/staff/?status=active&q=zzz"))
    console.page("staff-queue-select-all", "Pending registrations: every row selected", AREA,
                 "Select all on this page", console.get("/staff/?select=all"))


def bulk_states(console, pending):
    """Activate Selected / Reject Selected: a missing reason, both confirmations, the results."""
    console.page("staff-bulk-errors", "Reject Selected without a reason", AREA,
                 "Reject Selected with a row ticked and no reason",
                 console.post("/staff/registrations/bulk", {"registration": [pending["111111112"]],
                                                              "action": "reject", "reason": ""}))
    chosen = [pending["333333334"], pending["444444445"]]
    console.page("staff-confirm-activate", "Activate Selected: confirm", AREA, "Tick rows, Activate Selected",
                 console.post("/staff/registrations/bulk", {"registration": chosen, "action": "activate"}))
    console.page("staff-confirm-reject", "Reject Selected: confirm", AREA, "Tick rows, type a reason, Reject Selected",
                 console.post("/staff/registrations/bulk", {"registration": [pending["111111112"]],
                                                              "action": "reject", "reason": "Not contracted"}))
    console.post("/staff/registrations/bulk/apply", {"registration": chosen, "action": "activate"})
    console.page("staff-bulk-results", "Registrations after Activate Selected", AREA, "Confirm Activate Selected",
                 console.get("/staff/"))
    console.page("staff-queue-activated", "Activated registrations", AREA, "Status Activated",
                 console.get("/staff/?status=active"))


def producer_states(gallery, console, pending, demo, larry, larry_nm):
    """Find a producer; a producer's page with Reject and Revoke (errors and done), locked, Unlock."""
    console.page("staff-search", "Find a producer", AREA, "Find a producer", console.get("/staff/producers"))
    console.page("staff-search-results", "Find a producer: results", AREA, "Search for “camp”",
                 console.get("/staff/producers?q=camp"))
    console.page("staff-account", "A producer's account", AREA, "Select a user name in the results",
                 console.get(f"/staff/producers/{demo}"))
    demo_il = pending["111111112"]
    console.fragment("staff-account-reject-error", "Producer page: Reject without a reason (htmx)", AREA,
                     "Reject with the reason empty, JavaScript on",
                     console.post(f"/staff/registrations/{demo_il}/reject", {}, htmx=True))
    reason = {f"registration-{demo_il}-reason": "The Agent Unique ID belongs to another producer."}
    console.fragment("staff-account-rejected", "Producer page: rejected (htmx)", AREA,
                     "Reject with a reason, JavaScript on",
                     console.post(f"/staff/registrations/{demo_il}/reject", reason, htmx=True))
    console.fragment("staff-account-revoke-error", "Producer page: Revoke without a reason (htmx)", AREA,
                     "Revoke with the reason empty, JavaScript on",
                     console.post(f"/staff/registrations/{larry_nm}/revoke", {}, htmx=True))
    for attempt in ("wrong1", "wrong2", "wrong3"):
        gallery.visitor().sign_in("larrylocke", attempt)
    console.page("staff-account-locked", "A locked producer's account", AREA, "A producer after three wrong passwords",
                 console.get(f"/staff/producers/{larry}"))
    console.fragment("staff-account-unlocked", "Account after Unlock (htmx)", AREA, "Unlock, JavaScript on",
                     console.post(f"/staff/producers/{larry}/unlock", htmx=True))
    console.post(f"/staff/registrations/{larry_nm}/revoke", {f"registration-{larry_nm}-reason": "The contract ended."})
    console.page("staff-account-revoked", "Producer page after Revoke (no JavaScript)", AREA,
                 "Revoke with a reason, JavaScript off", console.get(f"/staff/producers/{larry}"))


def roster_states(console):
    """Roster upload: the form, bad lines, the preview (htmx), after Apply, nothing to apply."""
    console.page("staff-roster", "Roster upload", AREA, "Roster upload", console.get("/staff/roster"))
    console.page("staff-roster-problems", "Roster upload: bad lines", AREA, "Upload a file with bad lines",
                 console.post("/staff/roster", {"roster_file": (bytes_file(BAD_ROSTER), "roster.csv")}))
    preview = console.post("/staff/roster", {"roster_file": (bytes_file(CHANGED_ROSTER), "roster.csv")}, htmx=True)
    console.fragment("staff-roster-preview", "Roster upload: the changes before Apply (htmx)", AREA,
                     "Upload a file that adds, renames and removes IDs, JavaScript on", preview)
    token = re.search(r'name="upload" value="([^"]+)"', preview.get_data(as_text=True)).group(1)
    console.post("/staff/roster/apply", {"upload": token})
    console.page("staff-roster-applied", "Roster upload after Apply", AREA, "Apply", console.get("/staff/roster"))
    console.page("staff-roster-unchanged", "Roster upload: nothing to apply", AREA, "Upload the same file again",
                 console.post("/staff/roster", {"roster_file": (bytes_file(CHANGED_ROSTER), "roster.csv")}))


def failed_mail_states(gallery, console, larry):
    """Failed e-mail: the list with a refused e-mail, and Retry (htmx)."""
    with gallery.app.app_context():
        failed = OutboxMessage.create(
            account=larry, recipient="larry@example.com", subject="Retail Producer Portal E-mail Address Changed",
            body_text="(sample)", attempts=3, failed_at=clock.utcnow(), next_attempt_at=None,
            last_error="550 5.1.1 <larry@example.com>: Recipient address rejected").id
    console.page("staff-failed-mail", "Failed e-mail", AREA, "Failed e-mail", console.get("/staff/mail"))
    console.fragment("staff-failed-mail-retried", "Failed e-mail: Retry (htmx)", AREA, "Retry, JavaScript on",
                     console.post(f"/staff/mail/{failed}/retry", htmx=True))


def staff_user_states(gallery, console):
    """Staff users: the list, Add with errors and done; a clerk's first sign-in (new password, then two-step);
    admins only; Reset two-step; disabled."""
    console.page("staff-users", "Staff users", AREA, "Staff users (admins)", console.get("/staff/users"))
    console.page("staff-users-errors", "Staff users: Add with a short password", AREA,
                 "Add staff user with a bad user name and a short password",
                 console.post("/staff/users", {"user_name": "a b", "role": "clerk", "password": "short"}))
    console.post("/staff/users", {"user_name": "carol", "role": "clerk", "password": STAFF_PASSWORD})
    console.page("staff-users-added", "Staff users after Add", AREA, "Add staff user", console.get("/staff/users"))
    clerk = gallery.visitor()
    clerk.post("/staff/login", {"user_name": "carol", "password": STAFF_PASSWORD})
    clerk.page("staff-password-initial", "Change your password after an initial password", AREA,
               "A new staff user's first sign-in", clerk.get("/staff/password"))
    clerk.page("staff-password-errors", "Change your password: errors", AREA,
               "Change password with a wrong current password and a short new one",
               clerk.post("/staff/password", {"current_password": "wrong", "new_password": "short",
                                              "confirm_password": "other"}))
    set_up = clerk.page("staff-two-step-set-up", "Set Up Two-Step Verification (staff, required)", AREA,
                        "Change password at the first sign-in",
                        clerk.post("/staff/password", {"current_password": STAFF_PASSWORD,
                                                       "new_password": STAFF_PASSWORD + "!",
                                                       "confirm_password": STAFF_PASSWORD + "!"}))
    clerk.page("staff-two-step-set-up-wrong", "Set Up Two-Step Verification (staff): wrong code", AREA,
               "Verify with a wrong code", clerk.post("/staff/two-step/set-up", {"code": "000000"}))
    secret = re.search(r'id="setup-key">([A-Z2-7 ]+)<', set_up.get_data(as_text=True)).group(1).replace(" ", "")
    clerk.page("staff-recovery-codes", "Save Your Recovery Codes (staff)", AREA, "Verify with the code the app shows",
               clerk.post("/staff/two-step/set-up", {"code": pyotp.TOTP(secret).now()}))
    clerk.page("staff-admins-only", "For console admins (a clerk on Roster upload)", AREA,
               "A clerk opens /staff/roster", clerk.get("/staff/roster"))
    with gallery.app.app_context():
        carol = StaffUser.get(StaffUser.user_name == "carol").id
    console.page("staff-users-two-step-reset", "Staff users after Reset two-step", AREA, "Reset two-step of carol",
                 console.post(f"/staff/users/{carol}/reset-two-step"))
    console.post(f"/staff/users/{carol}/disable")
    console.page("staff-sign-in-disabled", "Producer Services Sign-In: disabled staff user", AREA,
                 "A disabled staff user signs in",
                 gallery.visitor().post("/staff/login", {"user_name": "carol", "password": STAFF_PASSWORD + "!"}))
