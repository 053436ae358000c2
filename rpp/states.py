"""The BCBS states, with everything the portal knows about each: name, plan name and Producer Services
numbers. Templates, e-mails, messages, the CLI and the tests all read them from here, so adding a state
is adding a row to STATES (and its place in CONTACT_ORDER, and its producers to the roster).

A state with a number missing stops the portal at start-up, never a KeyError on a page.
"""
from dataclasses import dataclass, fields


def N_(message):
    """Marks a msgid for `pybabel extract` (as rpp.messages.N_ does; rpp.messages imports this module)."""
    return message


class Dated(str):
    """A number with the date it applies from or until: the English line itself ("(800) 538-0382 prior to May 1,
    2019"), with its `note` (a msgid, the number as `%(number)s`) and `number` to say it in another language
    (rpp.messages.contact_number)."""
    def __new__(cls, note, number):
        line = super().__new__(cls, note % {"number": number})
        line.note, line.number = note, number
        return line


# The date notes of the Medicare Supplement numbers, each a whole sentence (translated where shown).
PRIOR_TO_MAY_2019 = N_("%(number)s prior to May 1, 2019")
FROM_MAY_2019 = N_("%(number)s on or after May 1, 2019")
PRIOR_TO_JAN_2020 = N_("%(number)s prior to Jan 1, 2020")
FROM_JAN_2020 = N_("%(number)s on or after Jan 1, 2020")


@dataclass(frozen=True)
class BcbsState:
    """One BCBS state and its Producer Services numbers by line of business, as the guide gives them.
    The name is English (the console, the CLI, the event log); producer pages and e-mails show it translated
    (rpp.messages.state_name), the plan name never."""
    code: str
    name: str
    major_medical: str  # also the number the guide's e-mails give
    medicare_supplement_legacy: str
    medicare_supplement_new_business: str

    def __post_init__(self):
        missing = [field.name for field in fields(self) if not getattr(self, field.name)]
        if missing:
            raise ValueError(f"BCBS state {self.code or self.name!r} has no {', '.join(missing)}")

    @property
    def plan_name(self):
        return f"BlueCross BlueShield of {self.name}"


# In the guide's order: "Register for Illinois" … "Register for Texas".
STATES = {state.code: state for state in (
    BcbsState("IL", N_("Illinois"), major_medical="(888) 313-5526",
              medicare_supplement_legacy=Dated(PRIOR_TO_MAY_2019, "(800) 538-0382"),
              medicare_supplement_new_business=Dated(FROM_MAY_2019, "(877) 587-6638")),
    BcbsState("MT", N_("Montana"), major_medical="(855) 454-7109",
              medicare_supplement_legacy="(855) 258-8475",
              medicare_supplement_new_business="(855) 258-8475"),
    BcbsState("NM", N_("New Mexico"), major_medical="(888) 222-0572",
              medicare_supplement_legacy=Dated(PRIOR_TO_MAY_2019, "(888) 222-0572"),
              medicare_supplement_new_business=Dated(FROM_MAY_2019, "(877) 587-6679")),
    BcbsState("OK", N_("Oklahoma"), major_medical="(888) 399-9394",
              medicare_supplement_legacy=Dated(PRIOR_TO_MAY_2019, "(800) 522-9266"),
              medicare_supplement_new_business=Dated(FROM_MAY_2019, "(877) 587-6645")),
    BcbsState("TX", N_("Texas"), major_medical="(888) 697-0679",
              medicare_supplement_legacy=Dated(PRIOR_TO_JAN_2020, "(800) 366-4236"),
              medicare_supplement_new_business=Dated(FROM_JAN_2020, "(877) 587-6641")),
)}


@dataclass(frozen=True)
class ContactTable:
    """The guide's "If you need assistance, please contact Producer Services at:" table."""
    columns: list  # state codes, in the guide's column order
    rows: list  # (line of business, {state code: number})
    all_states: list  # (line of business, the one number for every state)

    def numbers_of(self, code):
        """One state's (line of business, number) pairs, in the table's order."""
        return [(line, numbers[code]) for line, numbers in self.rows]


# The guide's table lists the states in this order; every state has a column.
CONTACT_ORDER = ("IL", "NM", "OK", "TX", "MT")
# Lines of business with a number per state (translated where shown): (the table's words, the BcbsState field).
CONTACT_LINES = (
    (N_("Major Medical"), "major_medical"),
    (N_("Medicare Supplement (Legacy)"), "medicare_supplement_legacy"),
    (N_("Medicare Supplement (New Business)"), "medicare_supplement_new_business"),
)
if sorted(CONTACT_ORDER) != sorted(STATES):
    raise ValueError("CONTACT_ORDER must list every BCBS state once")
CONTACT_TABLE = ContactTable(
    columns=list(CONTACT_ORDER),
    rows=[(line, {code: getattr(STATES[code], attribute) for code in CONTACT_ORDER})
          for line, attribute in CONTACT_LINES],
    all_states=[
        (N_("Medicare Advantage (MAPD)"), "(877) 774-8592"),
        (N_("Prescription Drug (PDP)"), "(888) 285-2249"),
        (N_("State Farm Agents Only"), "(844) 250-8201"),
    ])

# Views the rest of the portal reads: code → name, the plan names, code → the e-mails' number.
BCBS_STATES = {code: state.name for code, state in STATES.items()}
PLAN_NAMES = [state.plan_name for state in STATES.values()]
PRODUCER_SERVICES = {code: state.major_medical for code, state in STATES.items()}

# The US states and DC, for addresses (English; translated where shown).
US_STATES = {
    "AL": N_("Alabama"), "AK": N_("Alaska"), "AZ": N_("Arizona"), "AR": N_("Arkansas"), "CA": N_("California"),
    "CO": N_("Colorado"), "CT": N_("Connecticut"), "DE": N_("Delaware"), "DC": N_("District of Columbia"),
    "FL": N_("Florida"), "GA": N_("Georgia"), "HI": N_("Hawaii"), "ID": N_("Idaho"), "IL": N_("Illinois"),
    "IN": N_("Indiana"), "IA": N_("Iowa"), "KS": N_("Kansas"), "KY": N_("Kentucky"), "LA": N_("Louisiana"),
    "ME": N_("Maine"), "MD": N_("Maryland"), "MA": N_("Massachusetts"), "MI": N_("Michigan"), "MN": N_("Minnesota"),
    "MS": N_("Mississippi"), "MO": N_("Missouri"), "MT": N_("Montana"), "NE": N_("Nebraska"), "NV": N_("Nevada"),
    "NH": N_("New Hampshire"), "NJ": N_("New Jersey"), "NM": N_("New Mexico"), "NY": N_("New York"),
    "NC": N_("North Carolina"), "ND": N_("North Dakota"), "OH": N_("Ohio"), "OK": N_("Oklahoma"), "OR": N_("Oregon"),
    "PA": N_("Pennsylvania"), "RI": N_("Rhode Island"), "SC": N_("South Carolina"), "SD": N_("South Dakota"),
    "TN": N_("Tennessee"), "TX": N_("Texas"), "UT": N_("Utah"), "VT": N_("Vermont"), "VA": N_("Virginia"),
    "WA": N_("Washington"), "WV": N_("West Virginia"), "WI": N_("Wisconsin"), "WY": N_("Wyoming"),
}
