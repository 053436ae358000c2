"""The mail relay: the one part of the portal that talks to the mail server.

Web requests only write e-mail to the outbox (rpp.outbox). `flask mail relay` runs beside
gunicorn and delivers it; `flask mail deliver` is one pass. A pass takes the due messages
one at a time — each claimed by exactly one relay, so several relays may run at once — and
sends them over one connection. A message that cannot go now waits its own backoff
(1, 2, 4 … minutes, at most an hour) and never holds up the others; a refusal (5xx) fails
it after MAIL_MAX_REFUSALS tries, anything else after MAIL_MAX_ATTEMPTS.
"""
import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_mailman import EmailMultiAlternatives
from flask_mailman.backends import console, dummy, locmem

from . import clock
from .extensions import db, mail, write_transaction
from .models import OutboxMessage

log = logging.getLogger(__name__)
DELIVERED = "(delivered; the body is not kept)"
LONGEST_WAIT = timedelta(hours=1)
# Backends that write locally and cannot hang: mail through them goes at once, in process.
AT_ONCE_BACKENDS = (console.EmailBackend, locmem.EmailBackend, dummy.EmailBackend)
# Refusals about one message (sender, recipient, content); the connection stays usable.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass
class PassResult:
    """What one pass did: sent, to be tried again later, given up on."""
    sent: int = 0
    waiting: int = 0
    failed: int = 0


@dataclass
class Failure:
    """Why a message did not go: the reason kept for staff, and whether it can only get worse."""
    reason: str
    refused: bool  # a 5xx answer about this message: tried again only MAIL_MAX_REFUSALS times
    connection_lost: bool  # the server is unreachable or hung: end the pass, keep the others waiting


def delivers_at_once(app):
    """Whether MAIL_BACKEND writes locally (console, file, locmem), so no relay is needed."""
    return issubclass(mail.import_backend(app.config["MAIL_BACKEND"]), AT_ONCE_BACKENDS)


def backoff(attempts):
    """How long to wait after the given number of failed tries: 1, 2, 4 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 10)), LONGEST_WAIT)


def claim_next():
    """Claim the message due first for this relay, or None; a message is claimed by one relay only."""
    now = clock.utcnow()
    query = (OutboxMessage.select()
             .where(OutboxMessage.sent_at.is_null(), OutboxMessage.failed_at.is_null(),
                    OutboxMessage.next_attempt_at <= now,
                    OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < now))
             .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id))
    if db.obj.for_update:  # PostgreSQL: relays skip each other's rows instead of waiting
        query = query.for_update(skip_locked=True)
    # On SQLite the IMMEDIATE transaction lets one relay at a time pick and claim.
    with write_transaction():
        message = query.first()
        if message is None:
            return None
        # Long enough for every SMTP step of one message to time out; a relay that dies
        # holding a message lets it go when this passes.
        message.claimed_until = now + timedelta(seconds=20 * current_app.config["MAIL_TIMEOUT"])
        message.attempts += 1
        OutboxMessage.update(claimed_until=message.claimed_until, attempts=OutboxMessage.attempts + 1).where(
            OutboxMessage.id == message.id).execute()
    return message


def describe(error):
    """What went wrong, in the server's words where it gave some."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
    else:
        return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}"


def failure(error):
    """Classify what sending one message raised."""
    if isinstance(error, REFUSALS):
        code = describe(error).split(" ", 1)[0]
        # 421: the server is closing the connection, whatever the message.
        return Failure(describe(error)[:500], refused=code.startswith("5"), connection_lost=code == "421")
    return Failure(describe(error)[:500], refused=False, connection_lost=True)


def send(connection, message):
    """Send one claimed message over the open (or opened here) connection; a Failure or None."""
    email = EmailMultiAlternatives(subject=message.subject, body=message.body_text,
                                   to=[message.recipient], connection=connection)
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        connection.open()  # at most once a pass: the connection stays open for the next message
        email.send()
    except Exception as error:  # every failure is kept with the message; the relay goes on
        return failure(error)
    return None


def mark_sent(message):
    """Sent: the body goes (the outbox is no archive, and a temporary password must not outlive
    its e-mail in the database)."""
    OutboxMessage.update(sent_at=clock.utcnow(), next_attempt_at=None, claimed_until=None, last_error="",
                         body_text=DELIVERED, body_html="").where(OutboxMessage.id == message.id).execute()


def mark_failed(message, problem):
    """Not sent: wait for the next try, or give up; True when given up."""
    config = current_app.config
    now = clock.utcnow()
    limit = config["MAIL_MAX_REFUSALS"] if problem.refused else config["MAIL_MAX_ATTEMPTS"]
    given_up = message.attempts >= limit
    changes = {"failed_at": now, "next_attempt_at": None} if given_up else {
        "next_attempt_at": now + backoff(message.attempts)}
    OutboxMessage.update(last_error=problem.reason, claimed_until=None, **changes).where(
        OutboxMessage.id == message.id).execute()
    next_try = "none, given up" if given_up else f"{changes['next_attempt_at']:%Y-%m-%d %H:%M:%S} UTC"
    log.warning("e-mail %d to %s not sent (attempt %d of %d): %s; next try: %s",
                message.id, message.recipient, message.attempts, limit, problem.reason, next_try)
    return given_up


def deliver_due(stop=None):
    """One pass: send every message that is due, one at a time over one connection.

    Stops early when `stop` is set (after the message in hand) or the server cannot be reached.
    """
    result = PassResult()
    connection = None
    try:
        while not (stop is not None and stop.is_set()):
            message = claim_next()
            if message is None:
                break
            if connection is None:
                connection = mail.get_connection(timeout=current_app.config["MAIL_TIMEOUT"])
            problem = send(connection, message)
            if problem is None:
                mark_sent(message)
                result.sent += 1
                continue
            if mark_failed(message, problem):
                result.failed += 1
            else:
                result.waiting += 1
            if problem.connection_lost:
                drop(connection)
                connection = None
                break
    finally:
        if connection is not None:
            hang_up(connection)
    return result


def drop(connection):
    """Close a connection that failed without another word to the server (it may not answer)."""
    smtp = getattr(connection, "connection", None)
    if smtp is not None:
        smtp.close()
        connection.connection = None


def hang_up(connection):
    """End a pass politely (QUIT, within MAIL_TIMEOUT); a server gone by now changes nothing."""
    try:
        connection.close()
    except Exception as error:  # everything is already recorded
        log.info("closing the mail connection: %s", describe(error))
        drop(connection)


def run(stop, poll_seconds):
    """Deliver until `stop` is set: a pass, then a pause of `poll_seconds` (cut short by `stop`)."""
    while not stop.is_set():
        try:
            result = deliver_due(stop)
            if result.sent or result.waiting or result.failed:
                log.info("mail relay pass: %d sent, %d waiting for retry, %d failed",
                         result.sent, result.waiting, result.failed)
        except Exception:  # the database is down, say: log it and try again after the pause
            log.exception("mail relay pass failed; trying again in %s s", poll_seconds)
        finally:
            if not db.is_closed():
                db.close()
        stop.wait(poll_seconds)


def deliver_quietly():
    """Deliver through an at-once backend, right after the request or command that queued the mail."""
    opened = db.connect(reuse_if_open=True)
    try:
        deliver_due()
    except Exception:  # never turn a done request into an error; `flask mail deliver` retries
        log.exception("outbox delivery failed; the e-mail(s) stay queued")
    finally:
        if opened:
            db.close()
