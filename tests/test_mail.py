"""The mail relay: no request talks to a mail server; `flask mail relay` delivers the outbox with
per-message retries, backoff, timeouts and a failed state, and staff see and retry failed mail."""
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from rpp import clock, relay
from rpp.devtools.portal import upgraded_portal
from rpp.extensions import db
from rpp.models import Account, MailStatus, OutboxMessage, SecurityEvent
from rpp.registration import activation, roster
from tests.helpers import (
    DEMO_ROSTER,
    Portal,
    add_staff_user,
    free_port,
    login,
    make_account,
    settings,
    staff_login,
    visible,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REFUSED = "550 5.1.1 Mailbox unavailable"
BUSY = "451 4.3.0 Try again later"
TEMPORARY = re.compile(r"Your temporary password is: ([A-Za-z0-9]{9})\.")
RESET = {"user_name": "jessicacamp", "email": "testproducer@gmail.com", "agent_id": ""}


class Inbox:
    """An aiosmtpd handler that keeps what it accepts, refuses some recipients, and notes each connection."""

    def __init__(self):
        self.messages = []
        self.connections = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.connections.add(session.peer)
        if address.startswith("refused"):
            return REFUSED
        if address.startswith("busy"):
            return BUSY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    def clear(self):
        self.messages.clear()
        self.connections.clear()

    def recipients(self):
        return Counter(address for envelope in self.messages for address in envelope.rcpt_tos)


class HoldingInbox(Inbox):
    """Holds the first message's DATA until released, so a test can act while the relay has it in hand."""

    def __init__(self):
        super().__init__()
        self.in_hand = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.in_hand.is_set():
            self.in_hand.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
        return await super().handle_DATA(server, session, envelope)


class SmtpServer:
    """A local SMTP server that can be started on a given port, stopped and started again."""

    def __init__(self, inbox=None, port=None):
        self.port = port or free_port()
        self.inbox = inbox or Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


def smtp_settings(tmp_path, port, **extra):
    return settings(tmp_path, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                    MAIL_USE_TLS=False, MAIL_USE_SSL=False, **extra)


def portal_with_smtp(tmp_path, port, **extra):
    """The portal mailing through 127.0.0.1:port, with jessicacamp active in Texas (her e-mail queued)."""
    app = upgraded_portal(smtp_settings(tmp_path, port, **extra))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    make_account(app)
    return app


@pytest.fixture
def smtp_app(tmp_path, smtp):
    app = portal_with_smtp(tmp_path, smtp.port, MAIL_TIMEOUT=5)
    yield app
    if not db.is_closed():
        db.close()


@pytest.fixture
def moving_clock(monkeypatch):
    """The portal's clock, moved forward by the test: moving_clock(minutes=1)."""
    start = clock.utcnow()
    moved = timedelta()

    def move(**delta):
        nonlocal moved
        moved += timedelta(**delta)

    monkeypatch.setattr(clock, "utcnow", lambda: start + moved)
    return move


def one_pass(app):
    """What `flask mail deliver` prints after one pass of the relay."""
    return app.test_cli_runner().invoke(args=["mail", "deliver"]).output.strip()


def queue_directly(count, prefix, subject="Retail Producer Portal E-mail Address Changed"):
    """`count` e-mails in the outbox, to prefix0@example.com, prefix1@example.com …"""
    OutboxMessage.insert_many([{"recipient": f"{prefix}{n}@example.com", "subject": subject,
                                "body_text": f"Message {n}", "next_attempt_at": clock.utcnow()}
                               for n in range(count)]).execute()


def to(address):
    return OutboxMessage.get(OutboxMessage.recipient == address)


def console_for(app):
    """A staff member's browser, signed in to the console."""
    with app.app_context():
        add_staff_user("Alice")
    console = Portal(app.test_client())
    assert staff_login(console).status_code == 303
    return console


# No request talks to the mail server; the relay delivers.

def test_a_password_reset_is_only_queued_by_the_request_and_delivered_by_the_relay(smtp_app, smtp):
    assert one_pass(smtp_app) == "1 sent, 0 waiting for retry, 0 failed."  # the activation e-mail
    smtp.inbox.clear()
    portal = Portal(smtp_app.test_client())
    portal.get("/reset-password")
    assert portal.post("/reset-password", RESET, buffered=True).status_code == 303
    queued = OutboxMessage.select().order_by(OutboxMessage.id.desc()).get()
    assert smtp.inbox.messages == [] and queued.status is MailStatus.QUEUED
    assert one_pass(smtp_app) == "1 sent, 0 waiting for retry, 0 failed."
    [envelope] = smtp.inbox.messages
    assert envelope.rcpt_tos == ["testproducer@gmail.com"]
    content = envelope.content.decode()
    assert "Subject: Retail Producer Portal Password Reset" in content
    stored = OutboxMessage.get_by_id(queued.id)
    assert stored.status is MailStatus.SENT and stored.attempts == 1
    assert login(portal, password=TEMPORARY.search(content).group(1)).status_code == 303
    assert one_pass(smtp_app) == "0 sent, 0 waiting for retry, 0 failed."
    assert len(smtp.inbox.messages) == 1


def test_console_and_cli_say_queued_until_the_relay_has_sent_it(tmp_path, smtp):
    app = upgraded_portal(smtp_settings(tmp_path, smtp.port))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    make_account(app, states=("TX", "IL"), activate=False)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["registrations", "activate", "jessicacamp", "--state", "TX"])
    assert "Activated jessicacamp in TX (999999999); e-mail queued for testproducer@gmail.com." in result.output
    console = console_for(app)
    illinois = activation.pending_registrations("jessicacamp", "IL")[1][0]
    answer = console.post(f"/staff/registrations/{illinois.id}/activate", htmx=True)
    assert "Activated jessicacamp in Illinois; e-mail queued for testproducer@gmail.com." in visible(answer)
    assert smtp.inbox.messages == []
    assert [m.status for m in OutboxMessage.select()] == [MailStatus.QUEUED, MailStatus.QUEUED]


# One refused recipient stops nothing.

def test_refused_recipients_never_hold_up_a_password_reset(smtp_app, smtp, moving_clock):
    one_pass(smtp_app)
    smtp.inbox.clear()
    queue_directly(150, "refused")
    portal = Portal(smtp_app.test_client())
    portal.get("/reset-password")
    portal.post("/reset-password", RESET)
    # The reset goes on the relay's next pass, behind 150 refusals, all over one connection.
    assert one_pass(smtp_app) == "1 sent, 150 waiting for retry, 0 failed."
    assert list(smtp.inbox.recipients().items()) == [("testproducer@gmail.com", 1)]
    assert "Subject: Retail Producer Portal Password Reset" in smtp.inbox.messages[0].content.decode()
    assert len(smtp.inbox.connections) == 1
    waiting = to("refused7@example.com")
    assert waiting.status is MailStatus.WAITING and waiting.last_error == REFUSED
    assert waiting.next_attempt_at == clock.utcnow() + timedelta(minutes=1)
    # A refusal is believed after MAIL_MAX_REFUSALS (3) tries.
    moving_clock(minutes=1)
    assert one_pass(smtp_app) == "0 sent, 150 waiting for retry, 0 failed."
    moving_clock(minutes=2)
    assert one_pass(smtp_app) == "0 sent, 0 waiting for retry, 150 failed."
    moving_clock(hours=2)
    assert one_pass(smtp_app) == "0 sent, 0 waiting for retry, 0 failed."
    failed = to("refused7@example.com")
    assert failed.status is MailStatus.FAILED and failed.attempts == 3 and failed.last_error == REFUSED
    page = visible(console_for(smtp_app).get("/staff/mail"))
    assert "150 failed, 0 queued, 0 waiting for retry." in page
    assert "Showing the latest 50 of 150." in page
    assert "refused149@example.com — " in page and f"after 3 tries: {REFUSED}" in page


def test_a_temporary_failure_backs_off_1_2_4_minutes_until_max_attempts(tmp_path, smtp, moving_clock):
    app = portal_with_smtp(tmp_path, smtp.port, MAIL_MAX_ATTEMPTS=4)
    one_pass(app)
    queue_directly(1, "busy")
    waits = []
    for _ in range(3):
        assert one_pass(app) == "0 sent, 1 waiting for retry, 0 failed."
        message = to("busy0@example.com")
        assert message.last_error == BUSY
        waits.append(message.next_attempt_at - clock.utcnow())
        moving_clock(seconds=30)
        assert one_pass(app) == "0 sent, 0 waiting for retry, 0 failed."  # not due yet
        moving_clock(seconds=waits[-1].total_seconds() - 30)
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert one_pass(app) == "0 sent, 0 waiting for retry, 1 failed."
    message = to("busy0@example.com")
    assert message.status is MailStatus.FAILED and message.attempts == 4 and message.last_error == BUSY


def test_backoff_doubles_from_a_minute_and_stops_at_an_hour():
    assert [relay.backoff(n) for n in range(1, 9)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert relay.backoff(30) == timedelta(hours=1)


def test_default_max_attempts_is_about_a_day_of_tries(app):
    attempts = app.config["MAIL_MAX_ATTEMPTS"]
    tried_for = sum((relay.backoff(n) for n in range(1, attempts)), timedelta())
    assert timedelta(hours=22) <= tried_for <= timedelta(hours=26)
    assert app.config["MAIL_TIMEOUT"] == 10


# A mail server that accepts and never answers.

@pytest.fixture
def hung():
    """A listener the kernel accepts connections for, that never says a word."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    yield listener
    listener.close()


def test_a_hung_mail_server_slows_no_page_and_the_relay_delivers_once_it_is_back(tmp_path, hung, moving_clock):
    port = hung.getsockname()[1]
    app = upgraded_portal(smtp_settings(tmp_path, port, MAIL_TIMEOUT=0.5))
    with app.app_context():
        roster.import_roster(DEMO_ROSTER)
    make_account(app, states=("TX", "IL"), activate=False)
    with app.app_context():
        activation.activate("jessicacamp", "TX")
    console = console_for(app)
    producer = Portal(app.test_client())
    assert login(producer).status_code == 303
    stranger = Portal(app.test_client())
    for portal, path in ((stranger, "/contact-us"), (producer, "/home"), (console, "/staff/mail")):
        portal.get(path)  # a running server has its templates compiled
    stop = threading.Event()
    running = threading.Thread(target=run_relay, args=(app, stop))
    running.start()
    try:
        wait_for(lambda: OutboxMessage.select().where(OutboxMessage.attempts > 0).exists())
        slowest = max(timed_pages(console, producer, stranger))
    finally:
        stop.set()
        running.join()
    assert slowest < 0.3
    assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null(False)).count() == 0
    tried = list(OutboxMessage.select().where(OutboxMessage.attempts > 0))
    assert tried and all(m.status is MailStatus.WAITING and m.attempts == 1 for m in tried)
    assert all(m.last_error == "SMTPServerDisconnected: Connection unexpectedly closed: timed out" for m in tried)
    assert all(m.next_attempt_at > clock.utcnow() for m in tried)
    hung.close()
    server = SmtpServer(port=port).start()
    try:
        untried = OutboxMessage.select().count() - len(tried)
        assert one_pass(app) == f"{untried} sent, 0 waiting for retry, 0 failed."  # the others never waited
        moving_clock(minutes=1)
        assert one_pass(app) == f"{len(tried)} sent, 0 waiting for retry, 0 failed."
        assert sum(server.inbox.recipients().values()) == OutboxMessage.select().count() >= 4
    finally:
        server.stop()


def run_relay(app, stop, poll_seconds=0.05):
    """`flask mail relay` in a thread, until `stop` is set."""
    with app.app_context():
        relay.run(stop, poll_seconds)


def wait_for(condition, seconds=30):
    """Wait until `condition()` holds (polled), or fail."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def timed_pages(console, producer, stranger):
    """How long each page takes, pages that queue mail among them, while the mail server hangs."""
    illinois = activation.pending_registrations("jessicacamp", "IL")[1][0]
    account = Account.get(Account.user_name == "jessicacamp")
    stranger.get("/reset-password")
    requests = [
        lambda: stranger.get("/"), lambda: stranger.get("/contact-us"),
        lambda: stranger.post("/reset-password", RESET),
        lambda: stranger.post("/forgot-user-name", {"agent_id": "999999999", "email": "testproducer@gmail.com"}),
        lambda: producer.get("/home"),
        lambda: console.post(f"/staff/registrations/{illinois.id}/activate"),
        lambda: console.get("/staff/"), lambda: console.get("/staff/mail"),
        lambda: console.get(f"/staff/producers/{account.id}"),
    ]
    for request in requests:
        start = time.perf_counter()
        response = request()
        yield time.perf_counter() - start
        assert response.status_code in (200, 303), response.request.path


# Several relays at once.

def test_two_relays_at_once_send_each_of_200_messages_exactly_once(smtp_app, smtp):
    one_pass(smtp_app)
    smtp.inbox.clear()
    queue_directly(200, "producer")
    stop = threading.Event()
    relays = [threading.Thread(target=run_relay, args=(smtp_app, stop)) for _ in range(2)]
    for thread in relays:
        thread.start()
    try:
        wait_for(lambda: not OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).exists(), 120)
    finally:
        stop.set()
        for thread in relays:
            thread.join()
    assert smtp.inbox.recipients() == Counter({f"producer{n}@example.com": 1 for n in range(200)})
    assert {m.attempts for m in OutboxMessage.select()} == {1}


# Stopping.

def test_sigterm_stops_the_relay_after_the_message_in_hand(tmp_path):
    server = SmtpServer(HoldingInbox()).start()
    try:
        app = portal_with_smtp(tmp_path, server.port)
        with app.app_context():
            queue_directly(2, "later")
        first = OutboxMessage.select().order_by(OutboxMessage.id).get()
        env = {**os.environ, "FLASK_SECRET_KEY": "test-secret", "FLASK_TWO_STEP_KEY": "test-secret",
               "FLASK_DATABASE_URL": app.config["DATABASE_URL"],
               "FLASK_MAIL_BACKEND": "smtp", "FLASK_MAIL_SERVER": "127.0.0.1", "FLASK_MAIL_PORT": str(server.port),
               "FLASK_MAIL_USE_TLS": "false"}
        process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "mail", "relay"], cwd=ROOT,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert server.inbox.in_hand.wait(60)
            process.send_signal(signal.SIGTERM)
        finally:
            server.inbox.release.set()
        output, _ = process.communicate(timeout=60)
    finally:
        server.stop()
    assert process.returncode == 0, output
    assert "Mail relay started" in output and "Mail relay stopped." in output
    assert OutboxMessage.get_by_id(first.id).status is MailStatus.SENT
    assert [(m.status, m.attempts) for m in OutboxMessage.select().where(OutboxMessage.id != first.id)] == \
        [(MailStatus.QUEUED, 0)] * 2
    assert list(server.inbox.recipients()) == ["testproducer@gmail.com"]


# Monitoring.

def test_mail_status_counts_queued_waiting_failed_and_the_oldest(smtp_app, smtp, moving_clock):
    runner = smtp_app.test_cli_runner()
    one_pass(smtp_app)
    result = runner.invoke(args=["mail", "status"])
    assert result.exit_code == 0
    assert result.output == "Queued: 0\nWaiting for retry: 0\nFailed: 0\nOldest unsent: none\n"
    queue_directly(2, "busy")
    one_pass(smtp_app)
    moving_clock(minutes=20)
    queue_directly(1, "producer")
    OutboxMessage.update(failed_at=clock.utcnow(), next_attempt_at=None).where(
        OutboxMessage.recipient == "busy1@example.com").execute()
    result = runner.invoke(args=["mail", "status"])
    assert result.output == "Queued: 1\nWaiting for retry: 1\nFailed: 1\nOldest unsent: 20 min old\n"
    assert result.exit_code == 1  # older than --max-age (15 minutes): the relay is down or stuck
    assert runner.invoke(args=["mail", "status", "--max-age", "30"]).exit_code == 0


# The console: failed mail with its reason and Retry; each producer's recent mail.

@pytest.fixture
def failed_mail(tmp_path, smtp):
    """Three e-mails the mail server refused for good (MAIL_MAX_REFUSALS=1), jessicacamp's activation sent."""
    app = portal_with_smtp(tmp_path, smtp.port, MAIL_MAX_REFUSALS=1)
    queue_directly(3, "refused")
    assert one_pass(app) == "1 sent, 0 waiting for retry, 3 failed."
    return app


def test_console_lists_failed_mail_with_its_reason(failed_mail):
    console = console_for(failed_mail)
    assert "Failed e-mail" in visible(console.get("/staff/"))  # in the console's menu
    page = console.get("/staff/mail")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    seen = visible(page)
    assert "3 failed, 0 queued, 0 waiting for retry." in seen
    for n in range(3):
        assert re.search(rf"Retail Producer Portal E-mail Address Changed refused{n}@example\.com — \S+ "
                         rf".* Failed .* after 1 try: {REFUSED} Retry", seen)
    assert "Showing the latest" not in seen


def test_retry_without_javascript_queues_it_again_and_returns_to_the_list(failed_mail, smtp):
    console = console_for(failed_mail)
    console.get("/staff/mail")
    message = to("refused1@example.com")
    response = console.post(f"/staff/mail/{message.id}/retry")
    assert response.status_code == 303 and response.headers["Location"] == "/staff/mail"
    seen = visible(console.get("/staff/mail"))
    assert "E-mail to refused1@example.com queued again." in seen
    assert "2 failed, 1 queued, 0 waiting for retry" in seen and "refused1@example.com" not in seen.split("again.")[1]
    retried = to("refused1@example.com")
    assert retried.status is MailStatus.QUEUED and retried.attempts == 0 and retried.last_error == REFUSED
    [event] = SecurityEvent.select().where(SecurityEvent.kind == "e-mail queued again")
    assert event.detail == "Retail Producer Portal E-mail Address Changed to refused1@example.com (by alice)"
    # The relay tries it again (and here it is refused again).
    assert one_pass(failed_mail) == "0 sent, 0 waiting for retry, 1 failed."


def test_retry_with_htmx_swaps_the_row(failed_mail):
    console = console_for(failed_mail)
    console.get("/staff/mail")
    message = to("refused2@example.com")
    response = console.post(f"/staff/mail/{message.id}/retry", htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith(f'<tr id="mail-{message.id}">')
    seen = visible(response)
    assert "Queued." in seen and "E-mail to refused2@example.com queued again." in seen
    assert ">Retry<" not in body
    again = console.post(f"/staff/mail/{message.id}/retry", htmx=True)
    assert "E-mail to refused2@example.com is queued." in visible(again)
    assert console.post("/staff/mail/999999/retry").status_code == 404


def test_the_form_on_the_list_works_without_javascript(failed_mail):
    console = console_for(failed_mail)
    body = console.get("/staff/mail").get_data(as_text=True)
    message = to("refused0@example.com")
    form = re.search(rf'<form method="post" action="/staff/mail/{message.id}/retry"[^>]*>(.*?)</form>', body, re.S)
    assert form and 'name="csrf_token"' in form.group(1) and f'hx-target="#mail-{message.id}"' in form.group(0)


def test_producer_page_shows_recent_mail_with_its_status(smtp_app, smtp, moving_clock):
    console = console_for(smtp_app)
    account = Account.get(Account.user_name == "jessicacamp")
    page = f"/staff/producers/{account.id}"
    assert "Retail Producer Portal Registration Activation testproducer@gmail.com" in visible(console.get(page))
    assert re.search(r"Recent e-mail .* Registration Activation testproducer@gmail\.com \S+ .* Queued\.",
                     visible(console.get(page)))
    one_pass(smtp_app)
    assert re.search(r"Registration Activation testproducer@gmail\.com .* Sent ", visible(console.get(page)))
    smtp.stop()
    stranger = Portal(smtp_app.test_client())
    stranger.get("/reset-password")
    stranger.post("/reset-password", RESET)
    one_pass(smtp_app)
    seen = visible(console.get(page))
    assert re.search(r"Password Reset testproducer@gmail\.com .* Waiting for retry: try 2 at .* Last error: "
                     r"ConnectionRefusedError", seen)
    smtp.start()
    moving_clock(minutes=1)
    one_pass(smtp_app)
    assert "Waiting for retry" not in visible(console.get(page))


def test_retry_from_the_producer_page_returns_to_it(tmp_path, smtp):
    app = portal_with_smtp(tmp_path, smtp.port, MAIL_MAX_REFUSALS=1)
    with app.app_context():
        account = Account.get(Account.user_name == "jessicacamp")
        OutboxMessage.create(account=account, recipient="refused@example.com", subject="Retail Producer Portal "
                             "E-mail Address Changed", body_text="Changed.")
    one_pass(app)
    console = console_for(app)
    page = f"/staff/producers/{account.id}"
    message = to("refused@example.com")
    assert f"after 1 try: {REFUSED} Retry" in visible(console.get(page))
    response = console.post(f"/staff/mail/{message.id}/retry?back=producer")
    assert response.status_code == 303 and response.headers["Location"] == page
    assert "E-mail to refused@example.com queued again." in visible(console.get(page))


# Local backends (scripts/serve, the tests) deliver at once: they cannot hang.

def test_with_a_local_backend_mail_goes_as_soon_as_the_request_ends(app, portal, outbox):
    make_account(app)
    assert [m.subject for m in outbox] == ["Retail Producer Portal Registration Activation"]
    portal.get("/reset-password")
    portal.post("/reset-password", RESET)
    assert [m.subject for m in outbox][-1] == "Retail Producer Portal Password Reset"
    assert {m.status for m in OutboxMessage.select()} == {MailStatus.SENT}
