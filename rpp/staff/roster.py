"""Roster upload with a preview: what the file would change, kept server-side until Apply.

The uploaded file is the whole roster of each state it lists: its IDs are added or renamed, and
that state's IDs missing from it are removed — the preview names those an active registration uses.
Apply makes every change in one transaction, or none.
"""
import csv
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app

from .. import clock
from ..events import record_event
from ..extensions import write_transaction
from ..messages import text
from ..models import RosterEntry, RosterUpload, StateRegistration
from ..registration.roster import RosterError, parse_roster

# An upload not applied within this time is dropped.
KEPT = timedelta(hours=24)


@dataclass
class RosterChanges:
    """What applying a roster file would do."""
    states: list
    added: list = field(default_factory=list)  # rows of the file (dicts)
    renamed: list = field(default_factory=list)  # (RosterEntry, row)
    removed: list = field(default_factory=list)  # RosterEntry
    in_use: dict = field(default_factory=dict)  # (state, agent_id) of a removed ID → its active StateRegistration
    unchanged: int = 0

    @property
    def changes_anything(self):
        return bool(self.added or self.renamed or self.removed)

    def summary(self):
        return (f"{len(self.added)} added, {len(self.renamed)} updated, {self.unchanged} unchanged, "
                f"{len(self.removed)} removed")


def roster_changes(content):
    """Compare a roster file with the roster of the states it lists (RosterError if it has bad lines)."""
    rows = parse_roster(content)
    changes = RosterChanges(states=sorted({row["state"] for row in rows}))
    current = {(e.state, e.agent_id): e for e in RosterEntry.select().where(RosterEntry.state.in_(changes.states))}
    for row in rows:
        entry = current.pop((row["state"], row["agent_id"]), None)
        if entry is None:
            changes.added.append(row)
        elif (row["first_name"] or row["last_name"]) and (entry.first_name, entry.last_name) != (
                row["first_name"], row["last_name"]):  # a file without names leaves the names alone
            changes.renamed.append((entry, row))
        else:
            changes.unchanged += 1
    changes.removed = sorted(current.values(), key=lambda e: (e.state, e.agent_id))
    if current:
        active = (StateRegistration.select().where(StateRegistration.status == "active",
                                                   StateRegistration.state.in_(changes.states)))
        changes.in_use = {(r.state, r.agent_id): r for r in active if (r.state, r.agent_id) in current}
    return changes


def keep_upload(content, file_name, staff_user):
    """Keep an uploaded roster until Apply; returns its token (older uploads are dropped)."""
    with write_transaction():
        RosterUpload.delete().where(RosterUpload.created_at < clock.utcnow() - KEPT).execute()
        return RosterUpload.create(token=secrets.token_urlsafe(32), staff_user=staff_user,
                                   file_name=(file_name or "")[:255], text=content).token


def read_roster_upload(stream):
    """The text of an uploaded roster file, or RosterError saying why it cannot be read."""
    limit = current_app.config["ROSTER_UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        size = f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"
        raise RosterError([text("roster.too_large", size=size)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RosterError([text("roster.not_utf8")]) from error


def preview_roster(upload, staff_user, client_address=""):
    """Read an uploaded roster file and keep it until Apply: (RosterChanges, token); nothing changes yet.
    A file with any bad line is refused (RosterError listing every one), as the CLI's import."""
    named = f"by {staff_user.user_name}"
    try:
        content = read_roster_upload(upload.stream)
        changes = roster_changes(content)
    except csv.Error as error:
        record_event("roster upload refused", None, client_address, f"not a CSV file, {named}")
        raise RosterError([text("roster.not_csv", error=error)]) from error
    except RosterError as error:
        record_event("roster upload refused", None, client_address, f"{error.total} bad line(s), {named}")
        raise
    return changes, keep_upload(content, upload.filename, staff_user)


def kept_upload(token, staff_user):
    """This staff user's kept upload, or None (applied, dropped or someone else's)."""
    return RosterUpload.get_or_none(RosterUpload.token == (token or ""), RosterUpload.staff_user == staff_user,
                                    RosterUpload.created_at >= clock.utcnow() - KEPT)


def apply_upload(upload, staff_user, client_address=""):
    """Apply a kept upload: every addition, rename and removal in one transaction; returns the changes."""
    with write_transaction():
        changes = roster_changes(upload.text)
        for row in changes.added:
            RosterEntry.create(**row)
        for entry, row in changes.renamed:
            RosterEntry.update(first_name=row["first_name"], last_name=row["last_name"]).where(
                RosterEntry.id == entry.id).execute()
        if changes.removed:
            RosterEntry.delete().where(RosterEntry.id.in_([e.id for e in changes.removed])).execute()
        RosterUpload.delete().where(RosterUpload.token == upload.token).execute()
        record_event("roster imported", None, client_address, f"{changes.summary()}, by {staff_user.user_name}")
    return changes
