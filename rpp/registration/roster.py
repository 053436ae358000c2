"""The roster: who finished contracting in which BCBS state, imported from a CSV file all or nothing."""
import csv
import io
import re

from .. import messages
from ..extensions import write_transaction
from ..models import RosterEntry
from ..states import BCBS_STATES
from ..validators import strip


class RosterError(Exception):
    """A roster file with bad lines: nothing was imported."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def row_problems(line, state, agent_id, first, last):
    """What is wrong with one roster line (a list, empty when it is fine)."""
    problems = []
    if state not in BCBS_STATES:
        problems.append(messages.text("roster.state", line=line, state=state or "(empty)", states=", ".join(BCBS_STATES)))
    if not re.fullmatch(r"[0-9]{9}", agent_id):
        problems.append(messages.text("roster.agent_id", line=line, agent_id=agent_id or "(empty)"))
    for label, value in (("first_name", first), ("last_name", last)):
        if value and len(value) > 50:
            problems.append(messages.text("roster.name_too_long", line=line, column=label))
    return problems


def parse_roster(text):
    """The rows of a roster CSV (state,agent_id[,first_name,last_name]), or RosterError listing every bad line."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "state" not in header or "agent_id" not in header:
        raise RosterError([messages.text("roster.header")])
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        state = (raw.get("state") or "").strip().upper()
        agent_id = (raw.get("agent_id") or "").strip()
        first = strip(raw.get("first_name") or "") or None  # NFC, as the registration form stores names
        last = strip(raw.get("last_name") or "") or None
        problems += row_problems(line, state, agent_id, first, last)
        key = (state, agent_id)
        if key in seen:
            problems.append(messages.text("roster.repeated", line=line, state=state, agent_id=agent_id, first_line=seen[key]))
        seen[key] = line
        rows.append({"state": state, "agent_id": agent_id, "first_name": first, "last_name": last})
    if problems:
        raise RosterError(problems)
    return rows


def import_roster(text):
    """Import a roster CSV all or nothing; returns (added, updated, unchanged)."""
    rows = parse_roster(text)
    added = updated = unchanged = 0
    with write_transaction():
        for row in rows:
            entry = RosterEntry.get_or_none(RosterEntry.state == row["state"],
                                            RosterEntry.agent_id == row["agent_id"])
            if entry is None:
                RosterEntry.create(**row)
                added += 1
            elif (entry.first_name, entry.last_name) != (row["first_name"], row["last_name"]):
                entry.first_name, entry.last_name = row["first_name"], row["last_name"]
                entry.save()
                updated += 1
            else:
                unchanged += 1
    return added, updated, unchanged
