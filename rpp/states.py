"""The BCBS states, with everything the portal knows about each: name, plan name and Producer Services
numbers. Templates, e-mails, messages, the CLI and the tests all read them from here, so adding a state
is adding a row to STATES (and its place in CONTACT_ORDER, and its producers to the roster).

A state with a number missing stops the portal at start-up, never a KeyError on a page.
"""
from dataclasses import dataclass, fields


def N_(message):
    """Marks a msgid for `pybabel extract` (as rpp.messages.N_ does; rpp.messages imports this module)."""
    return message


@dataclass(frozen=True)
class BcbsState:
    """One BCBS state and its Producer Services numbers by line of business, as the guide gives them."""
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
    BcbsState("IL", "Illinois", major_medical="(888) 313-5526",
              medicare_supplement_legacy="(800) 538-0382 prior to May 1, 2019",
              medicare_supplement_new_business="(877) 587-6638 on or after May 1, 2019"),
    BcbsState("MT", "Montana", major_medical="(855) 454-7109",
              medicare_supplement_legacy="(855) 258-8475",
              medicare_supplement_new_business="(855) 258-8475"),
    BcbsState("NM", "New Mexico", major_medical="(888) 222-0572",
              medicare_supplement_legacy="(888) 222-0572 prior to May 1, 2019",
              medicare_supplement_new_business="(877) 587-6679 on or after May 1, 2019"),
    BcbsState("OK", "Oklahoma", major_medical="(888) 399-9394",
              medicare_supplement_legacy="(800) 522-9266 prior to May 1, 2019",
              medicare_supplement_new_business="(877) 587-6645 on or after May 1, 2019"),
    BcbsState("TX", "Texas", major_medical="(888) 697-0679",
              medicare_supplement_legacy="(800) 366-4236 prior to Jan 1, 2020",
              medicare_supplement_new_business="(877) 587-6641 on or after Jan 1, 2020"),
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

# The US states and DC, for addresses.
US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia",
    "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}
