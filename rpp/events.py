"""The security-event trail, and the sign-in and lockout counts it makes for /metrics (rpp.metrics)."""
from prometheus_client import Counter

from .models import Account, SecurityEvent

SIGN_INS = Counter("rpp_sign_ins", "sign-in attempts by who (producer, staff) and outcome", ["who", "outcome"])
LOCKOUTS = Counter("rpp_lockouts", "accounts locked after unsuccessful sign-ins", ["who"])

# Security events that are a sign-in's outcome or a lockout.
SIGN_IN_EVENTS = {
    "login": ("producer", "ok"), "login with a passkey": ("producer", "ok"),
    "login failed": ("producer", "mismatch"), "login refused: account locked": ("producer", "locked"),
    "login refused: not yet activated": ("producer", "not_activated"),
    "verification code wrong": ("producer", "code_wrong"), "staff verification code wrong": ("staff", "code_wrong"),
    "staff login": ("staff", "ok"), "staff login failed": ("staff", "mismatch"),
    "staff login refused: account locked": ("staff", "locked"), "staff login refused: disabled": ("staff", "disabled"),
}
LOCKOUT_EVENTS = {"account locked": "producer", "staff account locked": "staff"}


def count_event(kind):
    """Count a security event that is a sign-in outcome or a lockout (called as it is recorded)."""
    if kind in SIGN_IN_EVENTS:
        SIGN_INS.labels(*SIGN_IN_EVENTS[kind]).inc()
    elif kind in LOCKOUT_EVENTS:
        LOCKOUTS.labels(LOCKOUT_EVENTS[kind]).inc()


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
