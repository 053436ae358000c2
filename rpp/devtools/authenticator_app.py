"""A software authenticator app (TOTP) for the gallery, the bench and the tests: it turns two-step on for
a staff user (or a producer) with a known secret, and answers the code the portal accepts next.
Developer tooling only; the portal never imports it. Needs an app context."""
from datetime import UTC

import pyotp

from rpp import clock
from rpp.extensions import write_transaction
from rpp.models import Account, TwoStep
from rpp.twostep import crypto, service

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the tooling's own app; never a real user's


def enrol(owner, secret=SECRET):
    """Two-step on for `owner`, as if they had set it up with an app that holds `secret`."""
    owner_field = "account" if isinstance(owner, Account) else "staff_user"
    with write_transaction():
        TwoStep.delete().where(service.owner_filter(owner)).execute()
        return TwoStep.create(secret=crypto.encrypt(secret), enabled_at=clock.utcnow(), **{owner_field: owner})


def next_code(owner):
    """The code the app shows that the portal still accepts: this 30-second step's, or the next step's
    when this one was used already (the portal never accepts a step twice)."""
    row = service.two_step_for(owner)
    totp = pyotp.TOTP(crypto.decrypt(row.secret))
    now = totp.timecode(clock.utcnow().replace(tzinfo=UTC))
    step = max(now, row.last_time_step + 1)
    if step > now + 1:
        raise RuntimeError("this owner's codes for the next 30 seconds are used up: sign in as another user")
    return totp.generate_otp(step)
