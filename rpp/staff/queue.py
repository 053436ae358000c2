"""The console's queue: state registrations filtered, sorted and paged in the database, the
overdue rule as a query, the figures at a glance, and the same selection as a CSV file."""
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import chain

from peewee import JOIN, SQL, NodeList, PostgresqlDatabase, fn

from .. import clock
from ..extensions import db
from ..messages import text
from ..models import Account, RosterEntry, StateRegistration
from ..registration.activation import expected_activation, next_business_day

STATUSES = {"pending": "Pending", "active": "Activated", "rejected": "Rejected"}
SORTS = {"oldest": "Oldest first", "newest": "Newest first"}


@dataclass
class QueueFilter:
    """What the clerk asked for (all of it in the address, so a view can be bookmarked)."""
    q: str = ""
    state: str = ""
    status: str = "pending"
    overdue: bool = False
    date_from: date = None
    date_to: date = None
    sort: str = "oldest"
    page: int = 1

    def args(self, **changes):
        """The query string of this view (defaults left out), with `changes` applied."""
        values = {**self.__dict__, **changes}
        args = {"q": values["q"], "state": values["state"],
                "status": values["status"] if values["status"] != "pending" else "",
                "overdue": "1" if values["overdue"] and values["status"] == "pending" else "",
                "date_from": values["date_from"].isoformat() if values["date_from"] else "",
                "date_to": values["date_to"].isoformat() if values["date_to"] else "",
                "sort": values["sort"] if values["sort"] != "oldest" else "",
                "page": str(values["page"]) if values["page"] != 1 else ""}
        return {name: value for name, value in args.items() if value}


def same_name(a, b):
    """Names compare without case and extra spaces, composed alike (a decomposed "José" is "José")."""
    def comparable(name):
        return unicodedata.normalize("NFC", " ".join((name or "").split())).casefold()
    return comparable(a) == comparable(b)


def roster_name_match(account, entry):
    """Whether the roster's name for the Agent ID is the registered name: (key, words for staff)."""
    if entry is None:
        return "missing", text("staff.roster.missing")
    if not (entry.first_name or entry.last_name):
        return "unknown", text("staff.roster.unknown")
    if same_name(entry.first_name, account.first_name) and same_name(entry.last_name, account.last_name):
        return "match", text("staff.roster.match")
    roster_name = " ".join(part for part in (entry.first_name, entry.last_name) if part)
    return "mismatch", text("staff.roster.mismatch", roster_name=roster_name)


@dataclass
class QueueRow:
    """One state registration as the console shows it, with its wait against the promise."""
    registration: StateRegistration
    roster_entry: RosterEntry = None
    now: datetime = None

    @property
    def account(self):
        return self.registration.account

    @property
    def waited(self):
        """How long it has waited, short: "2 h", "3 days"."""
        return clock.short_wait(self.now - self.registration.submitted_at)

    @property
    def due(self):
        """When the guide's "within 1 business day" runs out (portal time zone)."""
        return expected_activation(self.registration.submitted_at)

    @property
    def overdue(self):
        return self.registration.status == "pending" and clock.local(self.now) > self.due

    @property
    def name_match(self):
        return roster_name_match(self.account, self.roster_entry)


def to_utc(day, moment, zone):
    """A wall-clock time in the portal's zone, as the naive UTC the database stores."""
    return datetime.combine(day, moment, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def overdue_condition(now):
    """Pending registrations whose promised activation (next business day, same clock time) is past,
    as a query on submitted_at: due dates are not in submission order (a Saturday morning registration
    is due before a Friday afternoon one), so it is a cut-off plus, for the days due today, the hours
    before the present time of day."""
    local_now = clock.local(now)
    today, zone = local_now.date(), local_now.tzinfo
    condition, day = None, today - timedelta(days=1)
    while (due_day := next_business_day(day)) >= today:
        if due_day == today:  # registered that day: overdue once today's clock passes their time
            earlier = ((StateRegistration.submitted_at >= to_utc(day, time(0), zone))
                       & (StateRegistration.submitted_at < to_utc(day, local_now.time(), zone)))
            condition = earlier if condition is None else condition | earlier
        day -= timedelta(days=1)
    cut_off = StateRegistration.submitted_at < to_utc(day + timedelta(days=1), time(0), zone)
    pending = StateRegistration.status == "pending"
    return pending & (cut_off if condition is None else (cut_off | condition))


def matching(filters, now):
    """The state registrations (joined to their accounts) that the filter selects."""
    query = StateRegistration.select().join(Account).where(StateRegistration.status == filters.status)
    if filters.state:
        query = query.where(StateRegistration.state == filters.state)
    if filters.overdue and filters.status == "pending":
        query = query.where(overdue_condition(now))
    if filters.q:
        words = filters.q
        full_name = Account.first_name.concat(" ").concat(Account.last_name)
        query = query.where(Account.user_name_key.contains(words.lower()) | full_name.contains(words)
                            | StateRegistration.agent_id.startswith(words)
                            | StateRegistration.email.contains(words))
    when = StateRegistration.submitted_at if filters.status == "pending" else StateRegistration.decided_at
    zone = clock.local(now).tzinfo
    if filters.date_from and (start := day_start(filters.date_from, 0, zone)):
        query = query.where(when >= start)
    if filters.date_to and (end := day_start(filters.date_to, 1, zone)):
        query = query.where(when < end)
    return query


def day_start(day, days_later, zone):
    """Midnight (portal time) `days_later` days after `day`, as stored; None past the calendar's ends
    (9999-12-31 has no next day): a range to the end of time has no upper bound."""
    try:
        return to_utc(day + timedelta(days=days_later), time(0), zone)
    except OverflowError:
        return None


def ordered(query, filters):
    """Waiting longest first (oldest submission), or newest first; the id breaks ties."""
    if filters.sort == "newest":
        return query.order_by(StateRegistration.submitted_at.desc(), StateRegistration.id.desc())
    return query.order_by(StateRegistration.submitted_at, StateRegistration.id)


def with_roster(query):
    """The registrations with their account and (left-joined) roster entry, in one query."""
    on_roster = ((RosterEntry.state == StateRegistration.state)
                 & (RosterEntry.agent_id == StateRegistration.agent_id))
    return (query.select_extend(Account, RosterEntry).switch(StateRegistration)
            .join(RosterEntry, JOIN.LEFT_OUTER, on=on_roster, attr="roster_entry"))


@dataclass
class QueuePage:
    """One page of the queue: its rows and where it sits in the whole selection."""
    rows: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self):
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self):
        return min(self.page * self.per_page, self.total)


def queue_page(filters, per_page, now=None):
    """The page of rows the filter asks for (a page past the end shows the last one)."""
    now = now or clock.utcnow()
    total = matching(filters, now).count()
    page = min(max(filters.page, 1), max(1, -(-total // per_page)))
    query = with_roster(ordered(matching(filters, now), filters)).paginate(page, per_page)
    rows = [QueueRow(row, row.roster_entry, now) for row in query]
    return QueuePage(rows, total, page, per_page)


@dataclass
class Glance:
    """The queue at a glance."""
    pending: int
    overdue: int
    activated_today: int
    median_to_activation: str = None
    activations_counted: int = 0
    since: datetime = field(default=None)


def at_a_glance(now=None):
    """Pending, overdue, activated today, and the median time from submission to activation over 30 days."""
    now = now or clock.utcnow()
    local_now = clock.local(now)
    midnight = to_utc(local_now.date(), time(0), local_now.tzinfo)
    pending = StateRegistration.select().where(StateRegistration.status == "pending").count()
    overdue = StateRegistration.select().where(overdue_condition(now)).count()
    activated = StateRegistration.select().where(StateRegistration.status == "active")
    today = activated.where(StateRegistration.decided_at >= midnight).count()
    since = now - timedelta(days=30)
    median, counted = median_wait(activated.where(StateRegistration.decided_at >= since))
    return Glance(pending, overdue, today, median, counted, since)


def median_wait(query):
    """The median time from submission to decision of these registrations, short ("5 h"), and how many:
    worked out by the database (the middle one or two of the sorted waits), not by fetching every row."""
    if isinstance(db.obj, PostgresqlDatabase):
        seconds = fn.EXTRACT(NodeList((SQL("EPOCH FROM"),
                                       StateRegistration.decided_at - StateRegistration.submitted_at)))
    else:
        seconds = (fn.julianday(StateRegistration.decided_at) - fn.julianday(StateRegistration.submitted_at)) * 86400
    count = query.count()
    if not count:
        return None, 0
    middle = [row[0] for row in query.select(seconds.alias("wait")).order_by(SQL("wait"))
              .offset((count - 1) // 2).limit(2 - count % 2).tuples()]
    return clock.short_wait(timedelta(seconds=round(float(sum(middle)) / len(middle)))), count


CSV_COLUMNS = ["User Name", "First Name", "Last Name", "State", "Agent Unique ID", "Company Name",
               "Address 1", "Address 2", "City", "Address State", "Zip Code", "Phone", "E-mail Address",
               "Status", "Submitted (UTC)", "Decided (UTC)", "Reason"]
# A cell starting with =, +, -, @, tab or CR is a formula to a spreadsheet (CSV injection): it gets a
# leading '. A spreadsheet may split a line on ",", ";" or tab whatever the file says (its locale
# decides), so the text right after any of them inside a cell starts a cell too (so does a line break).
FORMULA_AFTER_A_SEPARATOR = re.compile(r"(^|[,;\t\r\n])(?=[=+\-@\t\r])")


def safe_cell(value):
    """A CSV cell a spreadsheet shows as text, never runs as a formula, whichever separator it splits on:
    a formula trigger at the start, or right after a separator inside the cell, gets a ' before it."""
    text = "" if value is None else str(value)
    return FORMULA_AFTER_A_SEPARATOR.sub(r"\1'", text)


def csv_rows(filters, now=None):
    """The header, then every registration the filter selects (not only one page), as safe cells: the
    query is built before the first row, so a filter it cannot take fails before the answer starts."""
    query = ordered(matching(filters, now or clock.utcnow()), filters).select_extend(Account)
    return chain([CSV_COLUMNS], (csv_row(r) for r in query.iterator()))


def csv_row(r):
    """One registration's cells, safe for spreadsheets."""
    return [safe_cell(value) for value in (
        r.account.user_name, r.account.first_name, r.account.last_name, r.state, r.agent_id,
        r.company_name, r.address_1, r.address_2, r.city, r.address_state, r.zip_code, r.phone,
        r.email, STATUSES.get(r.status, r.status), f"{r.submitted_at:%Y-%m-%d %H:%M}",
        f"{r.decided_at:%Y-%m-%d %H:%M}" if r.decided_at else "", r.rejection_reason)]
