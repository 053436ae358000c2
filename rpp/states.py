"""The five BCBS states, their Producer Services numbers, and the US states for addresses."""

# In the guide's order: "Register for Illinois" … "Register for Texas".
BCBS_STATES = {
    "IL": "Illinois",
    "MT": "Montana",
    "NM": "New Mexico",
    "OK": "Oklahoma",
    "TX": "Texas",
}

PLAN_NAMES = [f"BlueCross BlueShield of {name}" for name in BCBS_STATES.values()]

# Major Medical line: the number the guide's e-mails give for each state.
PRODUCER_SERVICES = {
    "IL": "(888) 313-5526",
    "MT": "(855) 454-7109",
    "NM": "(888) 222-0572",
    "OK": "(888) 399-9394",
    "TX": "(888) 697-0679",
}

# The guide's "If you need assistance, please contact Producer Services at:" table.
CONTACT_COLUMNS = ["IL", "NM", "OK", "TX", "MT"]
CONTACT_ROWS = [
    ("Major Medical", {
        "IL": "(888) 313-5526", "NM": "(888) 222-0572", "OK": "(888) 399-9394",
        "TX": "(888) 697-0679", "MT": "(855) 454-7109"}),
    ("Medicare Supplement (Legacy)", {
        "IL": "(800) 538-0382 prior to May 1, 2019", "NM": "(888) 222-0572 prior to May 1, 2019",
        "OK": "(800) 522-9266 prior to May 1, 2019", "TX": "(800) 366-4236 prior to Jan 1, 2020",
        "MT": "(855) 258-8475"}),
    ("Medicare Supplement (New Business)", {
        "IL": "(877) 587-6638 on or after May 1, 2019", "NM": "(877) 587-6679 on or after May 1, 2019",
        "OK": "(877) 587-6645 on or after May 1, 2019", "TX": "(877) 587-6641 on or after Jan 1, 2020",
        "MT": "(855) 258-8475"}),
]
# Lines with one number for every state.
CONTACT_ALL_STATES = [
    ("Medicare Advantage (MAPD)", "(877) 774-8592"),
    ("Prescription Drug (PDP)", "(888) 285-2249"),
    ("State Farm Agents Only", "(844) 250-8201"),
]

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
