"""E-mail that is never lost: written to the outbox in the transaction that causes it.

No request talks to a mail server: the relay (rpp.relay, `flask mail relay`) delivers the
outbox. Only a backend that writes locally (console, file, locmem) is delivered to at once,
when the request or command that queued the mail ends.
"""
from dataclasses import dataclass

from flask import current_app, g, render_template
from peewee import JOIN

from . import clock, languages, relay
from .events import record_event
from .extensions import write_transaction
from .models import Account, MailStatus, OutboxMessage

# How many e-mails the console lists at most.
FAILED_SHOWN = 50
RECENT_SHOWN = 10


def queue(recipient, subject, template, **context):
    """Write an e-mail (templates/email/<template>.txt and .html) to the outbox; call inside the transaction.

    The `account` in the context, if any, is the producer the e-mail is about (the console's producer page):
    the subject (a lazy_text) and the body are written in that producer's language.
    """
    context.setdefault("portal_url", current_app.config["PORTAL_URL"])
    g.rpp_mail_queued = True
    with languages.for_account(context.get("account")):
        return OutboxMessage.create(
            recipient=recipient, subject=str(subject), account=context.get("account"),
            body_text=render_template(f"email/{template}.txt", **context),
            body_html=render_template(f"email/{template}.html", **context))


@dataclass
class OutboxStatus:
    """`flask mail status`: what waits in the outbox, and since when."""
    queued: int
    waiting: int
    failed: int
    oldest_unsent: object  # created_at of the oldest e-mail still to go, or None


def status():
    """Counts of queued (not tried yet), waiting (to be tried again) and failed e-mail."""
    unsent = OutboxMessage.select().where(OutboxMessage.sent_at.is_null(), OutboxMessage.failed_at.is_null())
    oldest = unsent.order_by(OutboxMessage.created_at).first()
    return OutboxStatus(queued=unsent.where(OutboxMessage.attempts == 0).count(),
                        waiting=unsent.where(OutboxMessage.attempts > 0).count(),
                        failed=OutboxMessage.select().where(OutboxMessage.failed_at.is_null(False)).count(),
                        oldest_unsent=oldest.created_at if oldest else None)


def failed_messages(limit=FAILED_SHOWN):
    """The e-mails given up on, latest first, with the producer each is about."""
    return list(OutboxMessage.select(OutboxMessage, Account).join(Account, JOIN.LEFT_OUTER)
                .where(OutboxMessage.failed_at.is_null(False))
                .order_by(OutboxMessage.failed_at.desc(), OutboxMessage.id.desc()).limit(limit))


def recent_messages(account, limit=RECENT_SHOWN):
    """The latest e-mails about one producer, whatever their status."""
    return list(OutboxMessage.select().where(OutboxMessage.account == account)
                .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc()).limit(limit))


def retry(message_id, staff_user, client_address=""):
    """Queue a failed e-mail again with a fresh set of tries: (the message or None, whether it was failed)."""
    with write_transaction():
        message = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
        if message is None or message.status is not MailStatus.FAILED:
            return message, False
        OutboxMessage.update(failed_at=None, attempts=0, next_attempt_at=clock.utcnow(),
                             claimed_until=None).where(OutboxMessage.id == message.id).execute()
        record_event("e-mail queued again", message.account, client_address,
                     f"{message.subject} to {message.recipient} (by {staff_user.user_name})")
        g.rpp_mail_queued = True
    return OutboxMessage.get_by_id(message_id), True


def init_app(app):
    """With a local backend, deliver what a request or command queued as soon as it ends."""
    if not relay.delivers_at_once(app):
        return

    @app.teardown_appcontext
    def deliver_queued_mail(exc):
        if g.pop("rpp_mail_queued", False):
            relay.deliver_quietly()
