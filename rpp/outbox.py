"""E-mail that is never lost: written to the outbox with its cause, delivered after commit."""
import logging
from datetime import timedelta
from functools import partial

from flask import current_app, g, render_template
from flask_mailman import EmailMultiAlternatives

from . import clock
from .extensions import db, mail, write_transaction
from .models import OutboxMessage

log = logging.getLogger(__name__)
CLAIM = timedelta(minutes=2)
DELIVERED = "(delivered; the body is not kept)"
# What is still queued (SMTP was down) is tried again on a request at most this often.
RETRY_EVERY = timedelta(minutes=1)


def queue(recipient, subject, template, **context):
    """Write an e-mail (templates/email/<template>.txt and .html) to the outbox; call inside the transaction."""
    context.setdefault("portal_url", current_app.config["PORTAL_URL"])
    return OutboxMessage.create(
        recipient=recipient, subject=subject,
        body_text=render_template(f"email/{template}.txt", **context),
        body_html=render_template(f"email/{template}.html", **context))


def deliver_pending():
    """Send every queued e-mail; one that fails stays queued for the next try. Returns (sent, failed)."""
    sent = failed = 0
    pending = list(OutboxMessage.select().where(OutboxMessage.sent_at.is_null())
                   .order_by(OutboxMessage.id).limit(100))
    if not pending:
        return sent, failed
    try:
        connection = mail.get_connection(timeout=current_app.config["MAIL_TIMEOUT"])
        connection.open()
    except Exception as error:  # SMTP down: everything stays queued
        log.warning("mail server unavailable, %d e-mail(s) kept in the outbox: %s", len(pending), error)
        record_failure(pending, error)
        return 0, len(pending)
    try:
        for message in pending:
            if deliver(connection, message):
                sent += 1
            else:
                failed += 1
    finally:
        try:
            connection.close()
        except Exception:  # closing a broken connection must not hide what was sent
            pass
    return sent, failed


def deliver(connection, message):
    """Send one queued e-mail and mark it sent; claim it first so no two workers send it."""
    now = clock.utcnow()
    with write_transaction():
        claimed = (OutboxMessage
                   .update(attempts=OutboxMessage.attempts + 1, claimed_until=now + CLAIM)
                   .where(OutboxMessage.id == message.id, OutboxMessage.sent_at.is_null(),
                          OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < now))
                   .execute())
    if not claimed:
        return False
    email = EmailMultiAlternatives(subject=message.subject, body=message.body_text,
                                   to=[message.recipient], connection=connection)
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    try:
        email.send()
    except Exception as error:
        record_failure([message], error)
        return False
    # Once delivered the body goes: the outbox is no archive, and a temporary password must
    # not outlive its e-mail in the database.
    OutboxMessage.update(sent_at=clock.utcnow(), last_error="", body_text=DELIVERED, body_html="").where(
        OutboxMessage.id == message.id).execute()
    return True


def record_failure(messages, error):
    OutboxMessage.update(last_error=str(error)[:500], claimed_until=None).where(
        OutboxMessage.id.in_([m.id for m in messages])).execute()


def deliver_after_response():
    """Send the outbox once this response has gone out, so the answer never waits on (or times) the mail."""
    g.rpp_deliver_mail = True


def deliver_quietly(app):
    """Deliver what is queued, outside any request; a failure is logged and the e-mail stays queued."""
    with app.app_context():
        opened = db.connect(reuse_if_open=True)
        try:
            deliver_pending()
        except Exception:
            log.exception("outbox delivery failed; the e-mail(s) stay queued")
        finally:
            if opened:
                db.close()


def init_app(app):
    """After a response that queued mail, deliver it; on any request, retry the queue at most once a minute."""
    schedule = app.extensions.setdefault("rpp_outbox", {"next_retry": None})

    @app.after_request
    def deliver_after_close(response):
        now = clock.utcnow()
        retry_due = schedule["next_retry"] is None or now >= schedule["next_retry"]
        if g.pop("rpp_deliver_mail", False) or retry_due:
            schedule["next_retry"] = now + RETRY_EVERY
            response.call_on_close(partial(deliver_quietly, app))
        return response
