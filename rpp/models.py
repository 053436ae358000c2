"""The portal's data: roster, accounts, state registrations, sessions, events and the mail outbox."""
import json
from enum import Enum

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField

from . import clock
from .extensions import db
from .messages import state_name


def now():
    """Creation times come from the portal's clock (tests move it)."""
    return clock.utcnow()


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class RosterEntry(BaseModel):
    """A producer who finished contracting/onboarding in one BCBS state."""
    state = CharField(max_length=2)
    agent_id = CharField(max_length=9)
    first_name = CharField(max_length=50, null=True)
    last_name = CharField(max_length=50, null=True)
    imported_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("state", "agent_id"), True),)


class LockoutMixin:
    """The lockout rule producers and staff share: `locked_until` in the future."""

    def is_locked(self, now=None):
        """Whether the lockout is in force at `now`."""
        return self.locked_until is not None and self.locked_until > (now or clock.utcnow())


class Account(LockoutMixin, BaseModel):
    """A producer's sign-in: name and user name never change after registration."""
    user_name = CharField(max_length=30)
    # Lower-cased user name: "JCamp" and "jcamp" cannot both exist.
    user_name_key = CharField(max_length=30, unique=True)
    first_name = CharField(max_length=50)
    last_name = CharField(max_length=50)
    password_hash = CharField(max_length=255)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_failed_at = DateTimeField(null=True)  # failures older than the lockout time are forgotten
    created_at = DateTimeField(default=now)
    language = CharField(max_length=5, default="en")  # of every e-mail to the producer (rpp.languages; migration 9)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


# Only these hold their Agent Unique ID: a rejected or revoked registration frees it for the real producer.
HOLDS_AGENT_ID = ("pending", "active")
CLOSED = ("rejected", "revoked")  # no longer holds the Agent ID: the account may register that state again


class StateRegistration(BaseModel):
    """One account's registration in one BCBS state: pending → active (or rejected); active → revoked."""
    account = ForeignKeyField(Account, backref="registrations", on_delete="CASCADE")
    state = CharField(max_length=2)
    agent_id = CharField(max_length=9, index=True)  # user name recovery has no state (migration 2)
    company_name = CharField(max_length=100, default="")
    address_1 = CharField(max_length=100)
    address_2 = CharField(max_length=100, default="")
    city = CharField(max_length=100)
    address_state = CharField(max_length=2)
    zip_code = CharField(max_length=10)
    phone = CharField(max_length=10)
    email = CharField(max_length=254, index=True)
    status = CharField(max_length=10, default="pending", index=True)
    submitted_at = DateTimeField(default=now)
    decided_at = DateTimeField(null=True)
    rejection_reason = TextField(null=True)  # why it was rejected, or revoked
    revoked_at = DateTimeField(null=True)  # migration 4

    class Meta:
        indexes = ((("account", "state"), True),)

    @property
    def state_name(self):
        """The state's name in the current language (English on the console)."""
        return state_name(self.state)


# One pending or active registration per (state, Agent Unique ID): a partial unique index (migration 4),
# so a rejected or revoked one no longer holds the ID.
StateRegistration.add_index(StateRegistration.index(
    StateRegistration.state, StateRegistration.agent_id, unique=True,
    where=StateRegistration.status.in_(HOLDS_AGENT_ID), name="state_registration_agent_id_held"))


class TemporaryPassword(BaseModel):
    """The one live temporary password of an account: a newer request replaces it."""
    account = ForeignKeyField(Account, unique=True, on_delete="CASCADE")
    password_hash = CharField(max_length=255)
    created_at = DateTimeField(default=now)
    expires_at = DateTimeField()


class SignedInBrowser(BaseModel):
    """What a producer's and a staff user's session rows share (no table of its own). The browser holds only
    the token; deleting the row signs it out. `last_active_at` is for the idle limit (rpp.idle)."""
    token = CharField(max_length=64, primary_key=True)
    created_at = DateTimeField(default=now)
    expires_at = DateTimeField()
    client_address = CharField(max_length=64, default="")
    last_active_at = DateTimeField(null=True)


class LoginSession(SignedInBrowser):
    """A signed-in producer browser (its cookie holds the token)."""
    account = ForeignKeyField(Account, backref="login_sessions", on_delete="CASCADE")
    selected_state = CharField(max_length=2, null=True)
    # Set by a temporary-password login: Change Password first, with that password as current.
    must_change_password = BooleanField(default=False)
    temporary_password_hash = CharField(max_length=255, null=True)
    # For "Where You're Signed In": the browser's User-Agent (when it was last seen: last_active_at).
    user_agent = CharField(max_length=300, default="")


class SecurityEvent(BaseModel):
    """Something that matters for an account's security, never with a password in it."""
    account = ForeignKeyField(Account, null=True, backref="security_events", on_delete="CASCADE")
    kind = CharField(max_length=40)
    created_at = DateTimeField(default=now)
    client_address = CharField(max_length=64, default="")
    detail = TextField(default="")

    class Meta:
        indexes = ((("account", "created_at"), False),)


class MailStatus(Enum):
    """Where an outbox e-mail is, as the console shows it."""
    QUEUED = "Queued"
    WAITING = "Waiting for retry"
    SENT = "Sent"
    FAILED = "Failed"


class OutboxMessage(BaseModel):
    """An e-mail written in the same transaction as its cause; the mail relay delivers it (rpp.relay)."""
    # The producer the e-mail is about, for the console's producer page (migration 4).
    account = ForeignKeyField(Account, null=True, backref="mail", on_delete="SET NULL")
    recipient = CharField(max_length=254)
    subject = CharField(max_length=200)
    body_text = TextField()
    body_html = TextField(default="")
    created_at = DateTimeField(default=now)
    sent_at = DateTimeField(null=True, index=True)
    # Set while the e-mail still has to go: the relay sends it once this time has passed (backoff).
    next_attempt_at = DateTimeField(null=True, index=True, default=now)
    # A relay holds a message it is sending until this time, so no two relays send it.
    claimed_until = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    last_error = TextField(default="")
    # Given up: refused for good, or MAIL_MAX_ATTEMPTS tries. Staff can queue it again (Retry).
    failed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("account", "created_at"), False),)

    @property
    def status(self):
        """Where the e-mail is: queued (not tried yet), waiting for a retry, sent or failed."""
        if self.sent_at:
            return MailStatus.SENT
        if self.failed_at:
            return MailStatus.FAILED
        return MailStatus.WAITING if self.attempts else MailStatus.QUEUED


class RegistrationDraft(BaseModel):
    """What a producer entered between Continue and Submit; only a hash of the password."""
    token = CharField(max_length=64, primary_key=True)
    data = TextField()
    password_hash = CharField(max_length=255)
    created_at = DateTimeField(default=now, index=True)

    @property
    def fields(self):
        return json.loads(self.data)


class SubmittedDraft(BaseModel):
    """A submitted draft's token and when: Submit deletes the draft, and a second Submit of it,
    even one racing the first, finds here that the registration is done."""
    token = CharField(max_length=64, primary_key=True)
    submitted_at = DateTimeField(index=True)


class StaffUser(LockoutMixin, BaseModel):
    """A Producer Services staff member: a separate sign-in from producer accounts."""
    user_name = CharField(max_length=30, unique=True)  # stored lower-case: the lookup key
    password_hash = CharField(max_length=255)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_failed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    # "clerk": queue, search, unlock, revoke; "admin": also staff users and the roster (migration 5).
    role = CharField(max_length=10, default="clerk")
    disabled = BooleanField(default=False)
    must_change_password = BooleanField(default=False)  # an initial password set by an admin

    @property
    def is_admin(self):
        return self.role == "admin"


class FailedSignIn(BaseModel):
    """Failed sign-ins with a user name no account has, as typed (rpp.lockout): counted like an account's."""
    name_key = CharField(max_length=64, unique=True)  # a keyed hash of scope and typed name, never the name
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_failed_at = DateTimeField(index=True)


class StaffSession(SignedInBrowser):
    """A signed-in staff browser (the Flask session holds the token; last_active_at came in migration 8)."""
    staff_user = ForeignKeyField(StaffUser, backref="sessions", on_delete="CASCADE")


class RosterUpload(BaseModel):
    """An uploaded roster file between its preview and Apply (so nobody uploads it twice)."""
    token = CharField(max_length=64, primary_key=True)
    staff_user = ForeignKeyField(StaffUser, on_delete="CASCADE")
    file_name = CharField(max_length=255, default="")
    text = TextField()
    created_at = DateTimeField(default=now, index=True)


class TwoStep(BaseModel):
    """An authenticator app linked to a producer account or a staff user (one of the two).

    The secret is stored encrypted (rpp.twostep.crypto); enabled_at stays empty until the first
    right code, so a setup left half-way never asks for a code at sign-in.
    """
    account = ForeignKeyField(Account, null=True, unique=True, on_delete="CASCADE")
    staff_user = ForeignKeyField(StaffUser, null=True, unique=True, on_delete="CASCADE")
    secret = TextField()
    created_at = DateTimeField(default=now)
    enabled_at = DateTimeField(null=True)
    # The last time step a code was accepted for: a code is never accepted twice.
    last_time_step = IntegerField(default=0)
    # New recovery codes, encrypted, until the page that shows them once has been seen.
    unseen_recovery_codes = TextField(null=True)


class RecoveryCode(BaseModel):
    """A single-use code for signing in without the authenticator app; only its hash is kept."""
    two_step = ForeignKeyField(TwoStep, backref="recovery_codes", on_delete="CASCADE")
    code_hash = CharField(max_length=64, index=True)
    used_at = DateTimeField(null=True)


class KnownBrowser(BaseModel):
    """A browser an account has signed in from (a long-lived cookie holds the token; we keep its hash)."""
    account = ForeignKeyField(Account, backref="known_browsers", on_delete="CASCADE")
    token_hash = CharField(max_length=64)
    first_seen_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("account", "token_hash"), True),)


class Passkey(BaseModel):
    """A WebAuthn credential of a producer: signing in with it counts as both steps."""
    account = ForeignKeyField(Account, backref="passkeys", on_delete="CASCADE")
    credential_id = CharField(max_length=512, unique=True)  # base64url
    public_key = TextField()  # base64url COSE key
    sign_count = IntegerField(default=0)
    name = CharField(max_length=50)
    created_at = DateTimeField(default=now)
    last_used_at = DateTimeField(null=True)


class PasskeyChallenge(BaseModel):
    """A WebAuthn challenge handed to one browser, good once and for a few minutes."""
    token = CharField(max_length=64, primary_key=True)
    challenge = CharField(max_length=128)  # base64url
    account = ForeignKeyField(Account, null=True, on_delete="CASCADE")  # adding a passkey: whose
    expires_at = DateTimeField(index=True)


class SignInChallenge(BaseModel):
    """A pending sign-in (rpp.signin): its first step was right, its Verification Code is owed (a few minutes)."""
    token = CharField(max_length=64, primary_key=True)
    account = ForeignKeyField(Account, null=True, on_delete="CASCADE")
    staff_user = ForeignKeyField(StaffUser, null=True, on_delete="CASCADE")
    created_at = DateTimeField(default=now)
    expires_at = DateTimeField(index=True)
    # A temporary-password sign-in still goes to Change Password once the code is right.
    temporary_password_hash = CharField(max_length=255, null=True)
    next_url = CharField(max_length=2000, null=True)
    # The steps still owed, in order (rpp.signin.STEPS), space-separated (migration 8).
    steps = CharField(max_length=100, default="")


ALL_MODELS = [RosterEntry, Account, StateRegistration, TemporaryPassword, LoginSession,
              SecurityEvent, OutboxMessage, RegistrationDraft, SubmittedDraft, StaffUser, StaffSession, TwoStep,
              RecoveryCode, SignInChallenge, KnownBrowser, Passkey, PasskeyChallenge, RosterUpload, FailedSignIn]

