"""The security-event trail."""
from .metrics import count_event
from .models import Account, SecurityEvent


def record_event(kind, account=None, client_address="", detail=""):
    """Record what happened to an account; never pass a password in `detail`. Sign-in outcomes and
    lockouts are counted for the metrics too (rpp.metrics)."""
    count_event(kind)
    return SecurityEvent.create(kind=kind, account=account, client_address=client_address or "",
                                detail=detail)


def record_event_for(owner, kind, client_address="", detail=""):
    """Record what happened to a producer account, or to a staff user: staff events are "staff <kind>"
    and name the staff user first in the detail, as the console's own events do."""
    if isinstance(owner, Account):
        return record_event(kind, owner, client_address, detail)
    named = f"staff user {owner.user_name}"
    return record_event(f"staff {kind}", None, client_address, f"{named}: {detail}" if detail else named)
