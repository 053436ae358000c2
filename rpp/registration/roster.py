"""The roster: who finished contracting in which BCBS state, imported from a CSV file all or nothing."""
import csv

from .. import messages
from ..extensions import write_transaction
from ..models import RosterEntry
from ..states import BCBS_STATES
from ..validators import strip

# A file of bad lines lists this many problems (with their line numbers) and counts the rest, so a
# 10 MB file of them is a short page rather than a runaway one.
PROBLEMS_SHOWN = 100
# A value quoted in a problem is cut to this many characters (a line may be a megabyte long).
VALUE_SHOWN = 20


class RosterError(Exception):
    """A roster file with bad lines: nothing was imported. `problems` are the first PROBLEMS_SHOWN,
    `more` counts the others."""

    def __init__(self, problems, more=0, bad_lines=None):
        super().__init__("\n".join(problems))
        self.problems, self.more = problems, more
        self.total = len(problems) if bad_lines is None else bad_lines  # bad lines (one may have two problems)


def shown(value):
    """A value as a problem quotes it: "(empty)", or its first characters."""
    if not value:
        return "(empty)"
    return value if len(value) <= VALUE_SHOWN else value[:VALUE_SHOWN] + "…"


def good_agent_id(agent_id):
    return len(agent_id) == 9 and agent_id.isascii() and agent_id.isdigit()


def row_problems(line, state, agent_id, first, last):
    """What is wrong with one roster line, as sentences (empty when it is fine)."""
    problems = []
    if state not in BCBS_STATES:
        problems.append(messages.text("roster.state", line=line, state=shown(state), states=", ".join(BCBS_STATES)))
    if not good_agent_id(agent_id):
        problems.append(messages.text("roster.agent_id", line=line, agent_id=shown(agent_id)))
    for label, value in (("first_name", first), ("last_name", last)):
        if value and len(value) > 50:
            problems.append(messages.text("roster.name_too_long", line=line, column=label))
    return problems


def problem_count(state, agent_id, first, last):
    """How many problems row_problems would list, without writing them (for the lines past those shown)."""
    return ((state not in BCBS_STATES) + (not good_agent_id(agent_id))
            + (first is not None and len(first) > 50) + (last is not None and len(last) > 50))


def lines_of(text):
    """The lines of a text with their endings, one at a time: csv reads them without a copy of the text."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def columns(header):
    """Where each column is in a line (-1: not in the file), or RosterError without state and agent_id."""
    names = [name.strip().lower() for name in header]
    if "state" not in names or "agent_id" not in names:
        raise RosterError([messages.text("roster.header")])
    return [names.index(name) if name in names else -1 for name in ("state", "agent_id", "first_name", "last_name")]


def parse_roster(text):
    """The rows of a roster CSV (state,agent_id[,first_name,last_name]), or RosterError listing the
    first PROBLEMS_SHOWN problems (with their line numbers) and counting the others. Fast on a file of
    bad lines: past those shown, problems are only counted."""
    reader = csv.reader(lines_of(text))
    state_at, agent_id_at, first_at, last_at = at = columns(next(reader, []))
    width = max(at) + 1
    rows, problems, more, bad_lines, seen = [], [], 0, 0, {}
    for fields in reader:
        if not fields:
            continue
        fields += [""] * (width - len(fields)) + [""]  # a short line's missing cells, and -1's empty one
        state, agent_id = fields[state_at].strip().upper(), fields[agent_id_at].strip()
        first, last = fields[first_at].strip(), fields[last_at].strip()
        first, last = first and strip(first), last and strip(last)  # NFC, as the registration form stores names
        key, line = (state, agent_id), reader.line_num
        if len(problems) < PROBLEMS_SHOWN:
            found = row_problems(line, state, agent_id, first, last)
            if key in seen:
                found.append(messages.text("roster.repeated", line=line, state=shown(state),
                                           agent_id=shown(agent_id), first_line=seen[key]))
            more += len(found[PROBLEMS_SHOWN - len(problems):])
            problems += found[:PROBLEMS_SHOWN - len(problems)]
            bad = bool(found)
        else:
            found = problem_count(state, agent_id, first, last) + (key in seen)
            more, bad = more + found, found > 0
        if bad:  # nothing will be imported: the rows are no longer needed, only the problems
            bad_lines, rows = bad_lines + 1, []
        elif not bad_lines:
            seen[key] = line  # only good lines are remembered: a file of bad ones stays small in memory
            rows.append({"state": state, "agent_id": agent_id, "first_name": first or None, "last_name": last or None})
        else:
            seen[key] = line
    if bad_lines:
        raise RosterError(problems, more=more, bad_lines=bad_lines)
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
