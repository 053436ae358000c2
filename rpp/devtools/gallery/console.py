"""The Producer Services console: sign-in, the queue, finding a producer, unlock, roster upload."""
from rpp import clock
from rpp.models import Account, OutboxMessage, StateRegistration

from .samples import BAD_ROSTER, SAMPLE_ROSTER, STAFF_PASSWORD, bytes_file


def console_states(gallery):
    """Alice of Producer Services signs in and works the queue, a producer's account and the roster."""
    console = gallery.visitor()
    console.page("staff-sign-in", "Producer Services Sign-In", "Producer Services console", "GET /staff/login",
                 console.get("/staff/login"))
    console.page("staff-sign-in-mismatch", "Producer Services Sign-In: wrong password",
                 "Producer Services console", "Login with a wrong password",
                 console.post("/staff/login", {"user_name": "alice", "password": "wrong"}))
    console.post("/staff/login", {"user_name": "alice", "password": STAFF_PASSWORD})
    demo, larry = queue_states(gallery, console)
    producer_states(gallery, console, demo, larry)
    roster_states(console)
    failed_mail_states(gallery, console, larry)


def queue_states(gallery, console):
    """Pending registrations: the queue, Reject (with and without a reason) and Activate; returns two account ids."""
    console.page("staff-queue", "Pending registrations (one overdue)", "Producer Services console",
                 "Login, or Pending registrations", console.get("/staff/"))
    with gallery.app.app_context():
        pending = {r.agent_id: r.id for r in
                   StateRegistration.select().where(StateRegistration.status == "pending")}
        demo = Account.get(Account.user_name == "demoproducer").id
        larry = Account.get(Account.user_name == "larrylocke").id
    console.fragment("staff-queue-reject-error", "Queue row: Reject without a reason (htmx)",
                     "Producer Services console", "Reject with the reason empty, JavaScript on",
                     console.post(f"/staff/registrations/{pending['111111112']}/reject", {}, htmx=True))
    console.fragment("staff-queue-rejected", "Queue row: rejected (htmx)", "Producer Services console",
                     "Reject with a reason, JavaScript on",
                     console.post(f"/staff/registrations/{pending['111111112']}/reject",
                                  {f"registration-{pending['111111112']}-reason":
                                   "The Agent Unique ID belongs to another producer."}, htmx=True))
    console.fragment("staff-queue-activated", "Queue row: activated (htmx)", "Producer Services console",
                     "Activate, JavaScript on",
                     console.post(f"/staff/registrations/{pending['333333334']}/activate", htmx=True))
    console.page("staff-queue-notice", "Pending registrations after Activate (no JavaScript)",
                 "Producer Services console", "Activate, JavaScript off",
                 console.post(f"/staff/registrations/{pending['444444445']}/activate"))
    return demo, larry


def producer_states(gallery, console, demo, larry):
    """Find a producer, an account, a locked account and Unlock."""
    console.page("staff-search", "Find a producer", "Producer Services console", "Find a producer",
                 console.get("/staff/producers"))
    console.page("staff-search-results", "Find a producer: results", "Producer Services console",
                 "Search for “camp”", console.get("/staff/producers?q=camp"))
    console.page("staff-account", "A producer's account", "Producer Services console",
                 "Select a user name in the results", console.get(f"/staff/producers/{demo}"))
    for attempt in ("wrong1", "wrong2", "wrong3"):
        gallery.visitor().sign_in("larrylocke", attempt)
    console.page("staff-account-locked", "A locked producer's account", "Producer Services console",
                 "A producer after three wrong passwords", console.get(f"/staff/producers/{larry}"))
    console.fragment("staff-account-unlocked", "Account after Unlock (htmx)", "Producer Services console",
                     "Unlock, JavaScript on", console.post(f"/staff/producers/{larry}/unlock", htmx=True))


def roster_states(console):
    """Roster upload: the form, a file with bad lines, and a good file (htmx)."""
    console.page("staff-roster", "Roster upload", "Producer Services console", "Roster upload",
                 console.get("/staff/roster"))
    console.page("staff-roster-problems", "Roster upload: bad lines", "Producer Services console",
                 "Upload a file with bad lines",
                 console.post("/staff/roster", {"roster_file": (bytes_file(BAD_ROSTER), "roster.csv")}))
    console.fragment("staff-roster-imported", "Roster upload: imported (htmx)", "Producer Services console",
                     "Upload a good file, JavaScript on",
                     console.post("/staff/roster", {"roster_file": (bytes_file(SAMPLE_ROSTER), "roster.csv")},
                                  htmx=True))


def failed_mail_states(gallery, console, larry):
    """Failed e-mail: the list with a refused e-mail, and Retry (htmx)."""
    with gallery.app.app_context():
        failed = OutboxMessage.create(
            account=larry, recipient="larry@example.com", subject="Retail Producer Portal E-mail Address Changed",
            body_text="(sample)", attempts=3, failed_at=clock.utcnow(), next_attempt_at=None,
            last_error="550 5.1.1 <larry@example.com>: Recipient address rejected").id
    console.page("staff-failed-mail", "Failed e-mail", "Producer Services console", "Failed e-mail",
                 console.get("/staff/mail"))
    console.fragment("staff-failed-mail-retried", "Failed e-mail: Retry (htmx)", "Producer Services console",
                     "Retry, JavaScript on", console.post(f"/staff/mail/{failed}/retry", htmx=True))
