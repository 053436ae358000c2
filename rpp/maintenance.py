"""Retention: what the portal keeps no longer than it needs (`flask maintenance purge`, once a day from
deploy/rpp-purge.timer).

- security events older than EVENT_RETENTION_DAYS (400): the console's and the producer's recent
  activity read only what is left, so a purged event is never shown;
- sent e-mail older than MAIL_RETENTION_DAYS (30; its body went when it was sent); failed e-mail stays
  for staff to see and retry;
- known browsers (the "new browser" notice) of accounts that have not signed in for
  BROWSER_RETENTION_DAYS (365): that browser's next sign-in is told about again;
- expired producer and staff sessions, sign-in and passkey challenges and temporary passwords (a live
  one is never touched), and registration drafts past REGISTRATION_DRAFT_HOURS.
"""
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from . import clock
from .extensions import write_transaction
from .models import (
    KnownBrowser,
    LoginSession,
    OutboxMessage,
    PasskeyChallenge,
    RegistrationDraft,
    SecurityEvent,
    SignInChallenge,
    StaffSession,
    SubmittedDraft,
    TemporaryPassword,
)

SIGN_INS = ("login", "login with a passkey")  # the events a sign-in records (rpp.auth.service)


@dataclass
class Purged:
    """What one purge removed, by kind."""
    events: int = 0
    sent_mail: int = 0
    browsers: int = 0
    sessions: int = 0
    drafts: int = 0
    challenges: int = 0


def days(setting):
    return timedelta(days=current_app.config[setting])


def stale_browsers(now):
    """Known browsers of accounts with no sign-in for BROWSER_RETENTION_DAYS (first seen before that)."""
    since = now - days("BROWSER_RETENTION_DAYS")
    recent = (SecurityEvent.select(SecurityEvent.account)
              .where(SecurityEvent.kind.in_(SIGN_INS), SecurityEvent.created_at > since,
                     SecurityEvent.account.is_null(False)))
    return KnownBrowser.delete().where(KnownBrowser.first_seen_at <= since, KnownBrowser.account.not_in(recent))


def purge(now=None):
    """Remove what is past its retention, in one transaction; returns what went (a Purged)."""
    now = now or clock.utcnow()
    drafts_since = now - timedelta(hours=current_app.config["REGISTRATION_DRAFT_HOURS"])
    with write_transaction():
        browsers = stale_browsers(now).execute()  # before the events it reads are purged
        return Purged(
            events=SecurityEvent.delete().where(
                SecurityEvent.created_at < now - days("EVENT_RETENTION_DAYS")).execute(),
            sent_mail=OutboxMessage.delete().where(
                OutboxMessage.sent_at < now - days("MAIL_RETENTION_DAYS")).execute(),
            browsers=browsers,
            sessions=(LoginSession.delete().where(LoginSession.expires_at <= now).execute()
                      + StaffSession.delete().where(StaffSession.expires_at <= now).execute()),
            drafts=(RegistrationDraft.delete().where(RegistrationDraft.created_at < drafts_since).execute()
                    + SubmittedDraft.delete().where(SubmittedDraft.submitted_at < drafts_since).execute()),
            challenges=(SignInChallenge.delete().where(SignInChallenge.expires_at <= now).execute()
                        + PasskeyChallenge.delete().where(PasskeyChallenge.expires_at <= now).execute()
                        + TemporaryPassword.delete().where(TemporaryPassword.expires_at <= now).execute()))
