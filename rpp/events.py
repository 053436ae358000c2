"""The security-event trail."""
from .models import SecurityEvent


def record_event(kind, account=None, client_address="", detail=""):
    """Record what happened to an account; never pass a password in `detail`."""
    return SecurityEvent.create(kind=kind, account=account, client_address=client_address or "",
                                detail=detail)
