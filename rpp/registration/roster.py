"""The roster: who finished contracting in which BCBS state, imported from a CSV file all or nothing."""
import csv
import io
import re

from ..extensions import write_transaction
from ..models import RosterEntry
from ..states import BCBS_STATES


class RosterError(Exception):
    """A roster file with bad lines: nothing was imported."""

    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = problems


def row_problems(line, state, agent_id, first, last):
    """What is wrong with one roster line (a list, empty when it is fine)."""
    problems = []
    if state not in BCBS_STATES:
        problems.append(f"line {line}: state {state or '(empty)'!r} is not one of {', '.join(BCBS_STATES)}")
    if not re.fullmatch(r"[0-9]{9}", agent_id):
        problems.append(f"line {line}: agent_id {agent_id or '(empty)'!r} is not exactly 9 digits")
    for label, value in (("first_name", first), ("last_name", last)):
        if value and len(value) > 50:
            problems.append(f"line {line}: {label} is longer than 50 characters")
    return problems


def parse_roster(text):
    """The rows of a roster CSV (state,agent_id[,first_name,last_name]), or RosterError listing every bad line."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    if "state" not in header or "agent_id" not in header:
        raise RosterError(["line 1: the header must name the columns state,agent_id "
                           "(optionally first_name,last_name)"])
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for line, raw in enumerate(reader, start=2):
        state = (raw.get("state") or "").strip().upper()
        agent_id = (raw.get("agent_id") or "").strip()
        first = (raw.get("first_name") or "").strip() or None
        last = (raw.get("last_name") or "").strip() or None
        problems += row_problems(line, state, agent_id, first, last)
        key = (state, agent_id)
        if key in seen:
            problems.append(f"line {line}: {state} {agent_id} repeats line {seen[key]}")
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
