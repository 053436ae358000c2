"""E-mails that tell a producer about a change to their sign-in; never with a secret in them."""
from . import clock, outbox
from .models import StateRegistration
from .states import PRODUCER_SERVICES


def account_addresses(account):
    """Every e-mail address on file for the account, once each, with the state it is on file for."""
    addresses = {}
    for row in (StateRegistration.select(StateRegistration.email, StateRegistration.state)
                .where(StateRegistration.account == account).order_by(StateRegistration.id)):
        addresses.setdefault(row.email.lower(), (row.email, row.state))
    return list(addresses.values())


def notify(account, subject, template, **context):
    """Queue one notice to each address on file (inside the transaction that made the change)."""
    for email, state in account_addresses(account):
        outbox.queue(email, subject, template, account=account, changed_at=clock.utcnow(),
                     number=PRODUCER_SERVICES[state], **context)
